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
import social.coves.localstack.ChildJvm;
import social.coves.localstack.testing.SharedKafka;
import social.coves.localstack.testing.SharedPostgres;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        Path jar = Path.of(System.getProperty("coves.ingestor.jar", "../firehose-ingestor/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build firehose-ingestor first (./mvnw verify builds it before this module): " + jar.toAbsolutePath());
        }
        SharedPostgres.Connection pg = SharedPostgres.connection();
        int port = ChildJvm.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(new File("target/test-indexer.log"));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("KAFKA_BOOTSTRAP_SERVERS", SharedKafka.bootstrapServers());
        env.put("COVES_INGESTOR_JETSTREAM_ENABLED", "false");
        env.put("COVES_INGESTOR_INDEXER_ENABLED", "true");
        // no did:web hosting checks: the tests that need verdicts write them (the job is tested in firehose-ingestor)
        env.put("COVES_INDEXER_HOSTING_ENABLED", "false");
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        awaitReady(process, port);
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

    private static void awaitReady(Process process, int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the indexer exited with " + process.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the indexer did not become ready");
    }
}
