package social.coves.ingestor.indexer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import social.coves.ingestor.tracing.IngestTracing;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.TestTopics;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Indexer replicas in one consumer group over a 6-partition topic (issue 21): three fold a hot-spot history
 * ({@link HotSpotHistory}: every partition's batches update the same posts, comments and community) at full speed, one
 * of them dies inside a batch transaction, one is added while the rest of the history arrives. The projections must then
 * equal, table by table (checksums), one clean in-order fold of the same history into an empty schema; no batch may
 * have failed with a deadlock (the retry meter's {@code deadlock} count, and no {@code deadlock detected} in the log):
 * {@link BatchLockOrder} makes them impossible. Each fold has its own database, so nothing else in the test JVM touches it.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class IndexerScaleOutTests {

    private static final int PARTITIONS = 6;
    private static final int EVENTS = 12_000;
    private static final int BATCH = 100;

    @Inject
    Instance<RecordProjection> projections;

    @Inject
    IngestTracing tracing;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String reactiveUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void replicasInOneGroupWithOneKilledMidBatchAndOneAddedFoldExactlyWhatOneCleanFoldDoes() throws Exception {
        String run = Long.toHexString(System.nanoTime());
        String topic = "coves.scaleout." + run + ".repo-events";
        String group = "scaleout-" + run;
        String replicasDb = database("scaleout_replicas");
        String cleanDb = database("scaleout_clean");
        List<EventEnvelope> history = new HotSpotHistory(21, 240, EVENTS).events();
        int cut = history.size() * 3 / 5;
        TestTopics.create(bootstrap, Map.of(topic, PARTITIONS));
        produce(topic, history.subList(0, cut));

        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        List<String> deadlockLines = new CopyOnWriteArrayList<>();
        Handler logWatch = watchLog("deadlock", deadlockLines);
        java.util.logging.Logger.getLogger("").addHandler(logWatch);
        Pool admin = pool(replicasDb, "scaleout-admin", 1);
        List<GroupIndexer> replicas = new ArrayList<>();
        try {
            // the victim joins first, so that partitions with events left are its own whatever the machine's pace (joining
            // last, it could find the two others had folded everything produced so far and never reach its third batch)
            GroupIndexer victim = replica("victim", topic, group, replicasDb, metrics).dieInBatch(3).start();
            replicas.add(victim);
            await().atMost(Duration.ofMinutes(2)).until(() -> !victim.assignment().isEmpty());
            replicas.add(replica("first", topic, group, replicasDb, metrics).start());
            replicas.add(replica("second", topic, group, replicasDb, metrics).start());

            // the victim dies inside its third batch: its transaction open, its locks held, its connection then dropped
            victim.killMidBatch(() -> dropConnections("scaleout-" + victim.name(), admin));
            assertThat(victim.appliedBatches()).as("batches the victim committed before it died").isGreaterThanOrEqualTo(2);
            replicas.remove(victim);

            // a replica added while the rest of the history arrives at full speed
            GroupIndexer added = replica("added", topic, group, replicasDb, metrics).start();
            replicas.add(added);
            await().atMost(Duration.ofMinutes(2)).until(() -> !added.assignment().isEmpty());
            produce(topic, history.subList(cut, history.size()));
            Map<Integer, Long> ends = endOffsets(topic);

            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (GroupIndexer r : replicas) {
                    assertThat(r.failure()).as(r.name() + " failed").isNull();
                }
                return caughtUp(admin, group, topic, ends);
            });
            assertThat(added.appliedBatches()).as("batches the added replica folded").isPositive();
            System.out.printf("scale-out: %d events; batches committed per replica: victim %d (died in its next), %s%n", history.size(),
                    victim.appliedBatches(), String.join(", ", replicas.stream().map(r -> r.name() + " " + r.appliedBatches()).toList()));
        } finally {
            replicas.forEach(GroupIndexer::close);
            java.util.logging.Logger.getLogger("").removeHandler(logWatch);
        }

        // the same history, one clean fold in the order it happened, into an empty schema
        Pool clean = cleanFold(cleanDb, history);

        List<String> replicated = checksums(admin);
        List<String> expected = checksums(clean);
        assertThat(replicated).as(() -> differences(admin, clean)).isEqualTo(expected);
        // the history was a hot spot: thousands of votes, a deep busy thread and most users on the same few rows
        assertThat((Long) one(admin, "SELECT count(*) FROM appview.votes GROUP BY subject_uri ORDER BY 1 DESC LIMIT 1")).isGreaterThan(1000L);
        assertThat((Long) one(admin, "SELECT max(upvotes + downvotes)::int8 FROM appview.posts")).isGreaterThan(200L);
        assertThat((Long) one(admin, "SELECT max(depth)::int8 FROM appview.comments")).isGreaterThan(4L);
        assertThat((Long) one(admin, "SELECT max(subscriber_count)::int8 FROM appview.communities")).isGreaterThan(100L);

        for (String reason : BatchTransaction.RETRY_REASONS) {
            assertThat(metrics.find(BatchTransaction.RETRIES_METER).tag("reason", reason).counter())
                    .as("retry meter with reason " + reason).isNotNull();
        }
        Map<String, Double> retries = new HashMap<>();
        metrics.find(BatchTransaction.RETRIES_METER).counters().forEach(c -> retries.put(c.getId().getTag("reason"), c.count()));
        Counter deadlocks = metrics.get(BatchTransaction.RETRIES_METER).tag("reason", "deadlock").counter();
        System.out.println("scale-out: batch retries by reason " + retries);
        assertThat(deadlocks.count()).as("batches retried after a deadlock; retries by reason: %s", retries).isZero();
        assertThat(deadlockLines).as("log lines about a deadlock").isEmpty();
        admin.close().await().indefinitely();
        clean.close().await().indefinitely();
    }

    /**
     * A rebalance hands a partition over while its old owner is still inside a batch: the new owner's transaction over
     * the same records waits on the partition's offsets row (inserted by the old owner, which had none stored yet),
     * and once the old one commits it skips every record. Applied once, as one clean fold.
     */
    @Test
    void theOldAndTheNewOwnerOfAPartitionFoldingTheSameBatchApplyItOnce() throws Exception {
        List<EventEnvelope> events = new HotSpotHistory(5, 40, 400).events();
        String db = database("scaleout_handover");
        ConsumerRecords<String, String> records = records("handover", events);
        Pool oldOwner = pool(db, "handover-old", 1);
        Pool newOwner = pool(db, "handover-new", 1);
        Pool admin = pool(db, "handover-admin", 1);
        RepoEventIndexer oldFold = new RepoEventIndexer(new BatchTransaction(oldOwner, new SimpleMeterRegistry(), tracing),
                projections.stream().toList(), "handover");
        BatchTransaction newBatches = new BatchTransaction(newOwner, new SimpleMeterRegistry(), tracing);
        RepoEventIndexer newFold = new RepoEventIndexer(newBatches, projections.stream().toList(), "handover");

        CompletableFuture<Void> release = new CompletableFuture<>();
        AtomicBoolean inside = new AtomicBoolean();
        BatchTransaction.BatchHandler heldOpen = (tx, envelopes) -> oldFold.applyBatch(tx, envelopes).invoke(() -> inside.set(true))
                .chain(() -> Uni.createFrom().completionStage(release));
        CompletableFuture<Void> first = new BatchTransaction(oldOwner, new SimpleMeterRegistry(), tracing)
                .apply("handover", records, heldOpen).subscribeAsCompletionStage();
        await().atMost(Duration.ofMinutes(1)).untilTrue(inside);
        AtomicInteger secondFolds = new AtomicInteger();
        BatchTransaction.BatchHandler counted = (tx, envelopes) -> {
            secondFolds.incrementAndGet();
            return newFold.applyBatch(tx, envelopes);
        };
        CompletableFuture<Void> second = newBatches.apply("handover", records, counted).subscribeAsCompletionStage();
        await().atMost(Duration.ofMinutes(1)).until(() -> (Long) one(admin, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a "
                + "ON a.pid = l.pid WHERE NOT l.granted AND a.application_name = 'handover-new'") > 0);
        release.complete(null);
        first.get(1, TimeUnit.MINUTES);
        second.get(1, TimeUnit.MINUTES);

        assertThat(secondFolds).as("records the new owner folded again").hasValue(0);
        assertThat((Long) one(admin, "SELECT next_offset FROM appview.consumer_offsets WHERE group_id = 'handover'")).isEqualTo((long) events.size());
        Pool clean = cleanFold(database("scaleout_handover_clean"), events);
        assertThat(checksums(admin)).as(() -> differences(admin, clean)).isEqualTo(checksums(clean));
        for (Pool p : List.of(oldOwner, newOwner, admin, clean)) {
            p.close().await().indefinitely();
        }
    }

    /**
     * A batch whose connection dies just before it commits is rolled back and retried whole on a new connection: the
     * result is one clean fold (nothing counted twice, nothing lost) and the retry is metered as {@code connection}.
     */
    @Test
    void aBatchWhoseConnectionDiesIsRetriedWholeAndCountedOnce() throws Exception {
        List<EventEnvelope> events = new HotSpotHistory(6, 40, 400).events();
        String db = database("scaleout_retry");
        Pool replica = pool(db, "retry-replica", 1);
        Pool admin = pool(db, "retry-admin", 1);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        BatchTransaction batches = new BatchTransaction(replica, metrics, tracing);
        RepoEventIndexer fold = new RepoEventIndexer(batches, projections.stream().toList(), "retry");
        CompletableFuture<Void> release = new CompletableFuture<>();
        AtomicBoolean inside = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        BatchTransaction.BatchHandler diesOnce = (tx, envelopes) -> attempts.incrementAndGet() > 1
                ? fold.applyBatch(tx, envelopes)
                : fold.applyBatch(tx, envelopes).invoke(() -> inside.set(true)).chain(() -> Uni.createFrom().completionStage(release));
        List<String> retryLines = new CopyOnWriteArrayList<>();
        Handler logWatch = watchLog("(connection); retrying it whole", retryLines);
        java.util.logging.Logger.getLogger("").addHandler(logWatch);
        try {
            CompletableFuture<Void> batch = batches.apply("retry", records("retry", events), diesOnce).subscribeAsCompletionStage();
            await().atMost(Duration.ofMinutes(1)).untilTrue(inside);
            dropConnections("retry-replica", admin);
            release.complete(null);
            batch.get(2, TimeUnit.MINUTES);
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(logWatch);
        }
        // the log watch sees the indexer's lines (what the scale-out test relies on to see no deadlock)
        assertThat(retryLines).hasSize(1);

        assertThat(attempts).hasValue(2);
        assertThat(metrics.get(BatchTransaction.RETRIES_METER).tag("reason", "connection").counter().count()).isEqualTo(1.0);
        assertThat(metrics.get(BatchTransaction.RETRIES_METER).tag("reason", "deadlock").counter().count()).isZero();
        Pool clean = cleanFold(database("scaleout_retry_clean"), events);
        assertThat(checksums(admin)).as(() -> differences(admin, clean)).isEqualTo(checksums(clean));
        for (Pool p : List.of(replica, admin, clean)) {
            p.close().await().indefinitely();
        }
    }

    /**
     * Without any concurrency: the same history in orders a consumer group can deliver (each repo's events in order, the
     * repos of six partitions interleaved at random, batches of 1–150) folds to what the clean fold gives.
     */
    @Test
    void anyInterleavingOfRepoOrderedPartitionsFoldsToTheCleanFold() throws Exception {
        List<EventEnvelope> history = new HotSpotHistory(21, 240, EVENTS).events();
        Pool clean = cleanFold(database("interleave_clean"), history);
        List<String> expected = checksums(clean);
        for (int seed = 1; seed <= 3; seed++) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
            List<java.util.ArrayDeque<EventEnvelope>> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new java.util.ArrayDeque<>());
            }
            history.forEach(e -> partitions.get(Math.floorMod(e.did().hashCode(), PARTITIONS)).add(e));
            Pool db = pool(database("interleave_" + seed), "interleave", 1);
            RepoEventIndexer fold = new RepoEventIndexer(new BatchTransaction(db, new SimpleMeterRegistry(), tracing),
                    projections.stream().toList(), "interleave");
            while (partitions.stream().anyMatch(q -> !q.isEmpty())) {
                List<EventEnvelope> batch = new ArrayList<>();
                int size = 1 + random.nextInt(150);
                while (batch.size() < size && partitions.stream().anyMatch(q -> !q.isEmpty())) {
                    java.util.ArrayDeque<EventEnvelope> q = partitions.get(random.nextInt(PARTITIONS));
                    for (int n = random.nextInt(40); n > 0 && !q.isEmpty(); n--) {
                        batch.add(q.poll());
                    }
                }
                db.withTransaction(tx -> fold.applyBatch(tx, batch)).await().atMost(Duration.ofMinutes(2));
                assertDepthsFollowTheirParents(db, batch);
            }
            final Pool folded = db;
            assertThat(checksums(db)).as(() -> differences(folded, clean)).isEqualTo(expected);
            db.close().await().indefinitely();
        }
        clean.close().await().indefinitely();
    }

    /**
     * After every batch, not only at the end: each comment's depth is what its parent's gives (0 under its root post,
     * the parent's + 1 under a comment of the same thread, NULL otherwise), so a wrong depth shows with the batch that
     * wrote it.
     */
    private static void assertDepthsFollowTheirParents(Pool db, List<EventEnvelope> batch) {
        List<String> wrong = new ArrayList<>();
        db.query("""
                SELECT c.uri, c.depth, p.depth FROM appview.comments c LEFT JOIN appview.comments p ON p.uri = c.parent_uri
                 WHERE c.depth IS DISTINCT FROM (CASE WHEN strpos(c.parent_uri, '/social.coves.community.post/') > 0
                       AND c.parent_uri = c.root_uri THEN 0 WHEN p.root_uri = c.root_uri THEN p.depth + 1 END)""")
                .execute().await().indefinitely()
                .forEach(r -> wrong.add(r.getString(0) + " depth " + r.getValue(1) + ", its parent's " + r.getValue(2)));
        assertThat(wrong).as(() -> "comments whose depth does not follow their parent's, after a batch of " + batch.size() + ": "
                + batch.stream().map(e -> e.did() + " " + e.commit().operation() + " " + e.commit().collection() + "/" + e.commit().rkey()).toList())
                .isEmpty();
    }

    /** The envelopes as the records of partition 0 of {@code topic}, from offset 0. */
    private static ConsumerRecords<String, String> records(String topic, List<EventEnvelope> events) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.add(new ConsumerRecord<>(topic, 0, i, events.get(i).did(), EnvelopeCodec.encodeToString(events.get(i))));
        }
        return new ConsumerRecords<>(Map.of(new TopicPartition(topic, 0), out));
    }

    /** One clean fold of {@code history} in its order (batches of 500, one transaction each) into {@code db}. */
    private Pool cleanFold(String db, List<EventEnvelope> history) {
        Pool clean = pool(db, "scaleout-clean", 1);
        RepoEventIndexer fold = new RepoEventIndexer(new BatchTransaction(clean, new SimpleMeterRegistry(), tracing),
                projections.stream().toList(), "scaleout-clean");
        for (int from = 0; from < history.size(); from += 500) {
            List<EventEnvelope> chunk = history.subList(from, Math.min(history.size(), from + 500));
            clean.withTransaction(tx -> fold.applyBatch(tx, chunk)).await().atMost(Duration.ofMinutes(2));
        }
        return clean;
    }

    private GroupIndexer replica(String name, String topic, String group, String db, SimpleMeterRegistry metrics) {
        Pool pool = pool(db, "scaleout-" + name, 2);
        BatchTransaction batches = new BatchTransaction(pool, metrics, tracing);
        RepoEventIndexer repo = new RepoEventIndexer(batches, projections.stream().toList(), group);
        return new GroupIndexer(name, bootstrap, topic, group, BATCH, pool, batches, repo::applyBatch);
    }

    /**
     * Terminates the connections of {@code app} from the server side: whatever they had open is rolled back, its locks
     * freed (what a crashed pod's connections come to).
     */
    private static void dropConnections(String app, Pool admin) {
        admin.preparedQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1")
                .execute(Tuple.of(app)).await().atMost(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> (Long) one(admin,
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'") == 0);
    }

    private boolean caughtUp(Pool db, String group, String topic, Map<Integer, Long> ends) {
        Map<Integer, Long> stored = new HashMap<>();
        db.preparedQuery("SELECT partition, next_offset FROM appview.consumer_offsets WHERE group_id = $1 AND topic = $2")
                .execute(Tuple.of(group, topic)).await().indefinitely().forEach(r -> stored.put(r.getInteger(0), r.getLong(1)));
        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || stored.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private Map<Integer, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        }
    }

    private void produce(String topic, List<EventEnvelope> events) {
        TestTopics.produce(bootstrap, events.stream()
                .map(e -> new ProducerRecord<>(topic, e.did(), EnvelopeCodec.encodeToString(e))).toList());
    }

    /** A fresh database with the indexer's schema (the same migrations Flyway runs at the indexer's start). */
    private String database(String name) throws Exception {
        PgConnectOptions server = PgConnectOptions.fromUri(reactiveUrl);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[]{server.getHost()});
        ds.setPortNumbers(new int[]{server.getPort()});
        ds.setDatabaseName(server.getDatabase());
        ds.setUser(user);
        ds.setPassword(password);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        ds.setDatabaseName(name);
        Flyway.configure().dataSource(ds).schemas("appview").defaultSchema("appview")
                .locations("filesystem:src/main/resources/db/migration").load().migrate();
        return name;
    }

    /** A pool on {@code db} whose connections carry {@code application}, planned as the indexer's are. */
    private Pool pool(String db, String application, int size) {
        PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl).setDatabase(db).setUser(user).setPassword(password)
                .addProperty("application_name", application).addProperty("plan_cache_mode", "force_custom_plan");
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(options).using(vertx).build();
    }

    private static List<String> checksums(Pool db) {
        List<String> out = new ArrayList<>();
        db.query("SELECT tbl, row_count, md5 FROM appview.projection_checksums() ORDER BY tbl").execute().await().indefinitely()
                .forEach(r -> out.add(r.getString(0) + " " + r.getLong(1) + " " + r.getString(2)));
        return out;
    }

    /**
     * The rows that differ, per table: how many, and up to five paired by key (the replicas' line above the clean
     * fold's), so a failure shows which rows and columns moved.
     */
    private static String differences(Pool left, Pool right) {
        Map<String, String> l = canonical(left);
        Map<String, String> r = canonical(right);
        Set<String> keys = new java.util.TreeSet<>(l.keySet());
        keys.addAll(r.keySet());
        Map<String, List<String>> byTable = new java.util.TreeMap<>();
        for (String k : keys) {
            if (!java.util.Objects.equals(l.get(k), r.get(k))) {
                byTable.computeIfAbsent(k.substring(0, k.indexOf(' ')), t -> new ArrayList<>()).add(k);
            }
        }
        StringBuilder out = new StringBuilder("rows that differ (replicas, then the clean fold):");
        byTable.forEach((table, differing) -> {
            out.append("\n").append(table).append(": ").append(differing.size()).append(" rows");
            for (String k : differing.subList(0, Math.min(5, differing.size()))) {
                out.append("\n  ").append(k).append("\n    replicas: ").append(l.get(k)).append("\n    clean:    ").append(r.get(k));
            }
        });
        return out.toString();
    }

    private static Map<String, String> canonical(Pool db) {
        Map<String, String> out = new HashMap<>();
        db.query("SELECT tbl || ' ' || k, line FROM appview.canonical_rows()").execute().await().indefinitely()
                .forEach(row -> out.put(row.getString(0), row.getString(1)));
        return out;
    }

    private static Object one(Pool db, String sql) {
        Row row = db.query(sql).execute().await().indefinitely().iterator().next();
        return row.getValue(0);
    }

    /** Collects every log record (any logger) that mentions {@code word}, in its message or in its exception chain. */
    private static Handler watchLog(String word, List<String> lines) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                StringBuilder text = new StringBuilder(String.valueOf(record instanceof org.jboss.logmanager.ExtLogRecord ext
                        ? ext.getFormattedMessage() : record.getMessage()));
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    text.append(" | ").append(t);
                }
                if (text.toString().toLowerCase(java.util.Locale.ROOT).contains(word)) {
                    lines.add(text.toString());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
