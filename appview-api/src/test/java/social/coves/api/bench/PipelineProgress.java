package social.coves.api.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import social.coves.lexicon.envelope.Topics;
import social.coves.localstack.jetstream.EventLog;
import social.coves.localstack.testing.SharedKafka;
import social.coves.localstack.testing.SharedPostgres;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every stage of the pipeline is: frames the stand-in holds, frames the ingestor has read (its metrics), records
 * in Kafka (end offsets) and records the indexer has applied (offsets committed with the projections in Postgres).
 */
final class PipelineProgress implements AutoCloseable {

    /** One sample; {@code ingested} and {@code indexed} lag behind {@code served} and {@code inKafka} under load. */
    record Sample(long served, long ingested, long inKafka, long indexed) {
        long ingestorBehind() {
            return Math.max(0, served - ingested);
        }

        long indexerBehind() {
            return Math.max(0, inKafka - indexed);
        }
    }

    private final EventLog log;
    private final int ingestorPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()));

    PipelineProgress(EventLog log, int ingestorPort) {
        this.log = log;
        this.ingestorPort = ingestorPort;
    }

    Sample sample() {
        return new Sample(log.size(), ingested(), inKafka(), indexed());
    }

    private long ingested() {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + ingestorPort + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("coves_ingest_frames_total{")
                            && (l.contains("outcome=\"accepted\"") || l.contains("outcome=\"rejected\"")))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private long inKafka() {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String topic : List.of(Topics.REPO_EVENTS, Topics.IDENTITY_EVENTS)) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private long indexed() {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT coalesce(sum(next_offset), 0) FROM (SELECT topic, partition, "
                     + "max(next_offset) AS next_offset FROM appview.consumer_offsets WHERE topic IN ('" + Topics.REPO_EVENTS + "', '"
                     + Topics.IDENTITY_EVENTS + "') GROUP BY 1, 2) o")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
