package social.coves.api.support;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.envelope.Topics;
import social.coves.localstack.testing.SharedKafka;
import social.coves.localstack.testing.SharedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The real indexer (the packaged firehose-ingestor, indexer role only) running beside the API tests, one per test
 * JVM: tests seed the database the way production does, by producing envelopes to Kafka, then wait until the
 * indexer has committed every produced offset to Postgres.
 */
public final class RunningIndexer {

    private static RunningIndexer instance;

    private final KafkaProducer<String, String> producer;

    private RunningIndexer() throws Exception {
        Path log = Path.of("target", "test-indexer.log");
        Files.deleteIfExists(log);
        PackagedIngestor.indexer(SharedPostgres.connection(), Map.of(), log);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    public static synchronized RunningIndexer get() {
        if (instance == null) {
            try {
                instance = new RunningIndexer();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the indexer; see target/test-indexer.log", e);
            }
        }
        return instance;
    }

    /** Produces the envelopes in order (key = DID) and waits until the indexer has applied all of them. */
    public void index(List<EventEnvelope> events) {
        try {
            for (EventEnvelope e : events) {
                String topic = e.commit() != null ? Topics.REPO_EVENTS : Topics.IDENTITY_EVENTS;
                producer.send(new ProducerRecord<>(topic, e.did(), EnvelopeCodec.encodeToString(e))).get();
            }
            awaitCaughtUp(Duration.ofSeconds(60));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void awaitCaughtUp(Duration timeout) throws Exception {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String topic : List.of(Topics.REPO_EVENTS, Topics.IDENTITY_EVENTS)) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<String, Long> ends = admin.listOffsets(request).all().get().entrySet().stream()
                    .filter(e -> e.getValue().offset() > 0)
                    .collect(Collectors.toMap(e -> e.getKey().topic() + "/" + e.getKey().partition(), e -> e.getValue().offset()));
            while (System.nanoTime() < deadline) {
                Map<String, Long> applied = new HashMap<>();
                try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                     ResultSet rs = c.createStatement().executeQuery("SELECT topic, partition, max(next_offset) FROM appview.consumer_offsets GROUP BY 1, 2")) {
                    while (rs.next()) {
                        applied.put(rs.getString(1) + "/" + rs.getInt(2), rs.getLong(3));
                    }
                } catch (java.sql.SQLException notYetMigrated) {
                    // the indexer creates the schema at start-up
                }
                if (ends.entrySet().stream().allMatch(e -> applied.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the indexer did not catch up within " + timeout + "; see target/test-indexer.log");
        }
    }
}
