package social.coves.ingestor.export;

import org.apache.kafka.clients.producer.ProducerRecord;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.synthetic.Envelopes;
import social.coves.localstack.synthetic.NetworkShape;
import social.coves.localstack.synthetic.SyntheticNetwork;
import social.coves.localstack.testing.SharedKafka;
import social.coves.localstack.testing.TestTopics;
import social.coves.localstack.testing.SharedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A test's own pair of topics on the shared real Kafka, its own warehouse folder and catalog schema on the shared real
 * PostgreSQL, and DuckDB over the exported Parquet files.
 */
final class ExportFixture {

    final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    final String repoTopic = "export-" + id + ".repo-events.v1";
    final String identityTopic = "export-" + id + ".identity-events.v1";
    final Path warehouse;
    final String bootstrap = SharedKafka.bootstrapServers();

    ExportFixture() throws Exception {
        this(3, 2);
    }

    ExportFixture(int repoPartitions, int identityPartitions) throws Exception {
        warehouse = Files.createDirectories(Path.of("target", "export-tests", id)).toAbsolutePath();
        TestTopics.create(bootstrap, Map.of(repoTopic, repoPartitions, identityTopic, identityPartitions));
    }

    /**
     * Settings for an export into namespace {@code name_<id>}. Every test shares one catalog schema: Iceberg's JDBC
     * catalog looks for its tables in any schema of the database, so a second schema would never get its own.
     */
    ExportSettings settings(String name, int batchEvents) {
        return settings(name, batchEvents, new ExportSettings.StartFrom.Earliest());
    }

    ExportSettings settings(String name, int batchEvents, ExportSettings.StartFrom from) {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        return new ExportSettings(bootstrap, List.of(repoTopic, identityTopic), "export-" + id + "-" + name,
                warehouse.toString(), new ExportSettings.CatalogDatabase(pg.jdbcUrl(), pg.user(), pg.password(), "iceberg_catalog"),
                ns(name), from, false, batchEvents, Duration.ofSeconds(5), 3);
    }

    String ns(String name) {
        return name + "_" + id;
    }

    KafkaLogExport.Report export(String namespace, int batchEvents) {
        return new KafkaLogExport(settings(namespace, batchEvents), ExportFaults.NONE).run();
    }

    /** A deterministic synthetic network (communities, threads, vote flips, churn, handle changes) as envelopes. */
    static List<EventEnvelope> network(int events, long seed, Instant start) {
        return network(NetworkShape.forEvents(events), seed, start);
    }

    /** The same over {@code days} days of Jetstream time. */
    static List<EventEnvelope> network(int events, long seed, Instant start, int days) {
        NetworkShape s = NetworkShape.forEvents(events);
        return network(new NetworkShape(s.events(), s.users(), s.communities(), s.communityZipf(), s.userZipf(),
                days * 86_400_000_000L / events), seed, start);
    }

    private static List<EventEnvelope> network(NetworkShape shape, long seed, Instant start) {
        SyntheticNetwork network = new SyntheticNetwork(shape, seed, start);
        List<EventEnvelope> out = new ArrayList<>();
        long s = 0;
        while (network.hasNext()) {
            out.add(Envelopes.of(network.next(), ++s, "jetstream.test", Instant.parse("2026-12-01T00:00:00Z")));
        }
        return out;
    }

    /** Produces envelopes keyed by DID to the topic the ingestor would use. */
    void produce(List<EventEnvelope> envelopes) {
        produceRaw(records(envelopes));
    }

    /** {topic, key, value} triples, values as they are. */
    void produceRaw(List<String[]> records) {
        produceRaw(records, null);
    }

    /** The same with Kafka record timestamps of {@code timestamp} (null: the producer's clock). */
    void produceRaw(List<String[]> records, Long timestamp) {
        TestTopics.produce(bootstrap, records.stream().map(r -> new ProducerRecord<>(r[0], null, timestamp, r[1], r[2])).toList());
    }

    /** Envelopes as {topic, key, value} triples. */
    List<String[]> records(List<EventEnvelope> envelopes) {
        List<String[]> raw = new ArrayList<>();
        for (EventEnvelope e : envelopes) {
            raw.add(new String[]{e.commit() != null ? repoTopic : identityTopic, e.did(), EnvelopeCodec.encodeToString(e)});
        }
        return raw;
    }

    /** DuckDB's glob over a table's data files (the export only appends, and removes what a killed run left). */
    String files(String namespace, String table) {
        return "read_parquet('" + warehouse.resolve(ns(namespace)).resolve(table) + "/data/**/*.parquet', union_by_name = true)";
    }

    boolean hasFiles(String namespace, String table) {
        Path data = warehouse.resolve(ns(namespace)).resolve(table).resolve("data");
        try (var walk = Files.walk(data)) {
            return walk.anyMatch(p -> p.toString().endsWith(".parquet"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The first row of a DuckDB query, columns as strings. */
    static List<String> duck(String sql) {
        try (Connection c = duckdb(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> row = new ArrayList<>();
            if (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
            }
            return row;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Every row of a DuckDB query, columns joined by " | ". */
    static List<String> duckRows(String sql) {
        try (Connection c = duckdb(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(String.join(" | ", row));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * An in-memory DuckDB, opened through its driver directly: {@code DriverManager} finds drivers only through the class
     * loader it first ran under, which in a Quarkus test JVM depends on which test came first.
     */
    static Connection duckdb() throws java.sql.SQLException {
        return new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties());
    }
}
