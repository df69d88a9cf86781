package social.coves.api;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import social.coves.api.support.PackagedIngestor;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.synthetic.Envelopes;
import social.coves.localstack.synthetic.NetworkShape;
import social.coves.localstack.synthetic.SyntheticNetwork;
import social.coves.localstack.testing.SharedKafka;
import social.coves.localstack.testing.SharedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live indexer (the packaged firehose-ingestor: SmallRye batch consumers, offsets in the batch transaction, seeks
 * from Postgres on assignment) is killed with SIGKILL three times while it folds a generated network, and restarted
 * each time. Beside it a second indexer folds the same topics into another database without interruption. Once both
 * have caught up, every projection table has the same rows and the same checksum: no event was lost or counted twice.
 * Then the packaged rebuild command folds the same topics into a third, empty database with the same result.
 */
class IndexerKillRestartTests {

    static final String REPO_TOPIC = "killtest.repo-events.v1";
    static final String IDENTITY_TOPIC = "killtest.identity-events.v1";
    static final int EVENTS = 30_000;
    static final int KILLS = 3;

    @Test
    void killedAndRestartedTheIndexerFoldsExactlyWhatAnUninterruptedOneFolds() throws Exception {
        SharedPostgres.Connection killedDb = database("killtest_killed");
        SharedPostgres.Connection cleanDb = database("killtest_clean");
        Map<String, Long> ends = produceNetwork();

        Path log = Path.of("target", "test-indexer-killtest.log");
        Files.deleteIfExists(log);
        PackagedIngestor clean = PackagedIngestor.indexer(cleanDb, settings("clean"), log);
        PackagedIngestor killed = PackagedIngestor.indexer(killedDb, settings("killed"), log);
        long before = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            before = awaitProgressBeyond(killedDb, before, ends);
            killed.kill();
            assertThat(applied(killedDb, ends)).as("kill %d landed before the indexer caught up", kill).isLessThan(total(ends));
            killed = PackagedIngestor.indexer(killedDb, settings("killed"), log);
        }
        awaitCaughtUp(killedDb, ends);
        awaitCaughtUp(cleanDb, ends);
        killed.kill();
        clean.kill();

        List<String> afterKills = checksums(killedDb);
        List<String> uninterrupted = checksums(cleanDb);
        assertThat(afterKills).as(() -> differences(killedDb, cleanDb)).isEqualTo(uninterrupted);
        rebuildCommandReproducesTheLiveFold(cleanDb, uninterrupted, log);
        assertThat(String.join("\n", uninterrupted)).containsPattern("posts [1-9]\\d{2,} ").containsPattern("votes [1-9]\\d{3,} ")
                .containsPattern("comments [1-9]\\d{2,} ");
    }

    /**
     * The documented rebuild command (the packaged ingestor in the one-shot rebuild role, two workers) into an empty
     * database gives the same checksums as the uninterrupted live indexer, and exits 0; an indexer started on a schema
     * whose rebuild has not finished refuses to start.
     */
    private static void rebuildCommandReproducesTheLiveFold(SharedPostgres.Connection cleanDb, List<String> uninterrupted, Path log) throws Exception {
        SharedPostgres.Connection rebuiltDb = database("killtest_rebuilt");
        Map<String, String> rebuildRole = Map.of("COVES_INGESTOR_INDEXER_ENABLED", "false", "COVES_INGESTOR_REBUILD_ENABLED", "true",
                "COVES_REBUILD_WORKERS", "2");
        assertThat(PackagedIngestor.runToExit(rebuiltDb, rebuildRole, settings("rebuilt"), log, Duration.ofMinutes(3)))
                .as("rebuild exit code; see %s", log).isZero();
        assertThat(checksums(rebuiltDb)).as(() -> differences(rebuiltDb, cleanDb)).isEqualTo(uninterrupted);

        try (Connection c = connect(rebuiltDb)) {
            c.createStatement().execute("INSERT INTO appview.projection_rebuilds DEFAULT VALUES");
        }
        Path guardLog = Path.of("target", "test-indexer-rebuild-guard.log");
        Files.deleteIfExists(guardLog);
        assertThat(PackagedIngestor.runToExit(rebuiltDb, Map.of(), settings("rebuilt"), guardLog, Duration.ofMinutes(2))).isNotZero();
        assertThat(Files.readString(guardLog)).contains("has not finished, so the counters are not maintained yet");
    }

    /** Its own topics and consumer groups; a static member id, so a restart takes over its partitions at once. */
    private static Map<String, String> settings(String name) {
        return Map.of(
                "mp.messaging.incoming.repo-events.topic", REPO_TOPIC,
                "mp.messaging.incoming.repo-events.group.id", "killtest-" + name,
                "mp.messaging.incoming.repo-events.group.instance.id", "killtest-" + name + "-repo",
                "mp.messaging.incoming.identity-events.topic", IDENTITY_TOPIC,
                "mp.messaging.incoming.identity-events.group.id", "killtest-" + name + "-identity",
                "mp.messaging.incoming.identity-events.group.instance.id", "killtest-" + name + "-identity");
    }

    private static SharedPostgres.Connection database(String name) throws Exception {
        SharedPostgres.Connection shared = SharedPostgres.connection();
        try (Connection c = connect(shared)) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return new SharedPostgres.Connection(shared.host(), shared.port(), name, shared.user(), shared.password());
    }

    /** Writes a generated network (repo events keyed by DID, identity and account events) and returns the end offsets. */
    private static Map<String, Long> produceNetwork() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            if (!admin.listTopics().names().get().contains(REPO_TOPIC)) {
                admin.createTopics(List.of(new NewTopic(REPO_TOPIC, 6, (short) 1), new NewTopic(IDENTITY_TOPIC, 3, (short) 1))).all().get();
            }
            SyntheticNetwork network = new SyntheticNetwork(NetworkShape.forEvents(EVENTS), 11, Instant.parse("2026-06-01T00:00:00Z"));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    SharedKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                    new StringSerializer(), new StringSerializer())) {
                for (long seq = 1; seq <= EVENTS && network.hasNext(); seq++) {
                    EventEnvelope e = Envelopes.of(network.next(), seq, "killtest", null);
                    String topic = e.commit() != null ? REPO_TOPIC : IDENTITY_TOPIC;
                    producer.send(new ProducerRecord<>(topic, e.did(), EnvelopeCodec.encodeToString(e)));
                }
                producer.flush();
            }
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String topic : List.of(REPO_TOPIC, IDENTITY_TOPIC)) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<String, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp.topic() + "/" + tp.partition(), info.offset()));
            return ends;
        }
    }

    /**
     * A connection through the driver class itself: after Quarkus tests ran in this JVM, DriverManager may know only a
     * PostgreSQL driver registered from another class loader, which it will not hand to this class.
     */
    private static Connection connect(SharedPostgres.Connection db) throws java.sql.SQLException {
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", db.user());
        login.setProperty("password", db.password());
        return new org.postgresql.Driver().connect(db.jdbcUrl(), login);
    }

    private static long total(Map<String, Long> ends) {
        return ends.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Events applied so far: the stored next offsets of the test's topics (0 until Flyway has made the schema). */
    private static long applied(SharedPostgres.Connection db, Map<String, Long> ends) throws Exception {
        try (Connection c = connect(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT topic, partition, max(next_offset) FROM appview.consumer_offsets "
                     + "WHERE topic IN ('" + REPO_TOPIC + "', '" + IDENTITY_TOPIC + "') GROUP BY 1, 2")) {
            long sum = 0;
            while (rs.next()) {
                sum += Math.min(rs.getLong(3), ends.getOrDefault(rs.getString(1) + "/" + rs.getInt(2), 0L));
            }
            return sum;
        } catch (java.sql.SQLException notMigratedYet) {
            return 0;
        }
    }

    /** Waits until at least one more batch is committed: the next kill then lands in the middle of the fold. */
    private static long awaitProgressBeyond(SharedPostgres.Connection db, long before, Map<String, Long> ends) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            long now = applied(db, ends);
            if (now > before) {
                return now;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the indexer made no progress; see target/test-indexer-killtest.log");
    }

    private static void awaitCaughtUp(SharedPostgres.Connection db, Map<String, Long> ends) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (applied(db, ends) < total(ends)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(db.database() + " did not catch up: " + applied(db, ends) + " of " + total(ends));
            }
            Thread.sleep(200);
        }
    }

    /** The first rows that differ, killed vs clean, for the failure message. */
    private static String differences(SharedPostgres.Connection killed, SharedPostgres.Connection clean) {
        try {
            Map<String, String> a = canonicalRows(killed);
            Map<String, String> b = canonicalRows(clean);
            List<String> out = new ArrayList<>();
            for (String key : new java.util.TreeSet<>(java.util.stream.Stream.concat(a.keySet().stream(), b.keySet().stream()).toList())) {
                if (!java.util.Objects.equals(a.get(key), b.get(key)) && out.size() < 10) {
                    out.add(key + "\n  killed: " + a.get(key) + "\n  clean:  " + b.get(key));
                }
            }
            return "rows that differ:\n" + String.join("\n", out);
        } catch (Exception e) {
            return "could not compare rows: " + e;
        }
    }

    private static Map<String, String> canonicalRows(SharedPostgres.Connection db) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = connect(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT tbl, k, line FROM appview.canonical_rows()")) {
            while (rs.next()) {
                out.put(rs.getString(1) + " " + rs.getString(2), rs.getString(3));
            }
        }
        return out;
    }

    private static List<String> checksums(SharedPostgres.Connection db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT tbl, row_count, md5 FROM appview.projection_checksums()")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3));
            }
        }
        return out;
    }
}
