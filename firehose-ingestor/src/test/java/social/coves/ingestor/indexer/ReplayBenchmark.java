package social.coves.ingestor.indexer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.PGConnection;
import social.coves.ingestor.indexer.replay.IndexerReplay;
import social.coves.ingestor.indexer.replay.ProjectionRebuild;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.synthetic.Envelopes;
import social.coves.localstack.synthetic.NetworkShape;
import social.coves.localstack.synthetic.SyntheticNetwork;
import social.coves.localstack.testing.PostgresResource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Replay throughput on a generated history vs. the raw COPY ceiling of the same Postgres, same run. Off by default:
 * {@code ./mvnw -B -o -pl firehose-ingestor verify -Dtest=ReplayBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dcoves.bench.events=1000000}
 * ({@code -Dcoves.bench.workers=N}: N consumers over disjoint partitions, as N indexer replicas;
 * {@code -Dcoves.bench.history=hotspot}: {@link HotSpotHistory} instead of the generated network, every partition on the
 * same few parents; the live fold's batch retries are printed by reason).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@EnabledIfSystemProperty(named = "coves.bench.events", matches = "\\d+")
class ReplayBenchmark {

    private static final String TOPIC = "coves.bench.repo-events";
    private static final String IDENTITY_TOPIC = "coves.bench.identity-events";
    private static final List<String> TABLES = List.of("records", "actors", "communities", "subscriptions", "community_blocks", "posts", "comments", "votes",
            "aggregator_services", "aggregator_authorizations");

    @Inject
    Pool pool;

    @Inject
    IndexerReplay replay;

    @Inject
    ProjectionRebuild rebuild;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void replayThroughputVersusCopyCeiling() throws Exception {
        int total = Integer.parseInt(System.getProperty("coves.bench.events"));
        long produced = produceHistory(total);
        emptyProjections();

        boolean serverProfile = resetServerProfile();
        int workers = Integer.getInteger("coves.bench.workers", 1);
        int batch = Integer.getInteger("coves.bench.batch", 2000);
        // -Dcoves.bench.live=false: the rebuild alone (no live fold to compare with; the ceiling COPYs the rebuilt rows)
        boolean live = !"false".equals(System.getProperty("coves.bench.live"));
        if (!live && "false".equals(System.getProperty("coves.bench.rebuild"))) {
            throw new IllegalArgumentException("coves.bench.live=false and coves.bench.rebuild=false leave nothing to measure");
        }
        long retriesBefore = BatchTransaction.RETRIES.get();
        Map<String, Double> retriesBeforeByReason = retriesByReason();
        IndexerReplay.Result r = live ? replay.replay(bootstrap, TOPIC, "bench", batch, 0, workers) : null;
        long liveRetries = BatchTransaction.RETRIES.get() - retriesBefore;
        Map<String, Long> liveRetriesByReason = new java.util.TreeMap<>();
        retriesByReason().forEach((reason, n) -> liveRetriesByReason.put(reason, Math.round(n - retriesBeforeByReason.getOrDefault(reason, 0.0))));
        if (serverProfile && live) {
            printServerProfile(r.took().toNanos() / 1e6);
        }

        if (Boolean.getBoolean("coves.bench.explain")) {
            explain();
        }
        ProjectionRebuild.Report rebuilt = null;
        if (!"false".equals(System.getProperty("coves.bench.rebuild"))) {
            serverProfile = resetServerProfile();
            rebuilt = live ? rebuildAndCompare(batch) : rebuild(batch);
            if (serverProfile) {
                printServerProfile(rebuilt.total().toNanos() / 1e6);
            }
        }
        long rows = 0;
        long copyNanos;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS bench_copy CASCADE; CREATE SCHEMA bench_copy");
            for (String t : TABLES) {
                st.execute("CREATE TABLE bench_copy." + t + " (LIKE appview." + t + " INCLUDING ALL)");
            }
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            Map<String, byte[]> data = new java.util.LinkedHashMap<>();
            for (String t : TABLES) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                rows += copy.copyOut("COPY (SELECT * FROM appview." + t + ") TO STDOUT (FORMAT binary)", out);
                data.put(t, out.toByteArray());
            }
            // generated columns cannot be copied in: copy the stored columns only
            long start = System.nanoTime();
            for (String t : TABLES) {
                String cols = stored(st, t);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                copy.copyOut("COPY (SELECT " + cols + " FROM appview." + t + ") TO STDOUT (FORMAT binary)", out);
                data.put(t, out.toByteArray());
            }
            long exportNanos = System.nanoTime() - start;
            start = System.nanoTime();
            for (String t : TABLES) {
                copy.copyIn("COPY bench_copy." + t + " (" + stored(st, t) + ") FROM STDIN (FORMAT binary)", new ByteArrayInputStream(data.get(t)));
            }
            copyNanos = System.nanoTime() - start;
            st.execute("DROP SCHEMA bench_copy CASCADE");
            System.out.printf("export (not counted): %.1f s%n", exportNanos / 1e9);
        }
        double copySeconds = copyNanos / 1e9;
        io.micrometer.core.instrument.Metrics.globalRegistry.find(FoldStatements.TIMER).timers().stream()
                .sorted((a, b) -> Double.compare(b.totalTime(java.util.concurrent.TimeUnit.SECONDS), a.totalTime(java.util.concurrent.TimeUnit.SECONDS)))
                .forEach(t -> System.out.printf("BENCH statement %-20s %8.1f s over %6d calls%n", t.getId().getTag("statement"),
                        t.totalTime(java.util.concurrent.TimeUnit.SECONDS), t.count()));
        long events = live ? r.events() : rebuilt.repoEvents().events();
        double ceiling = events / copySeconds;
        if (live) {
            System.out.printf("%nBENCH events produced=%d replayed=%d in %.1f s -> %.0f events/s (%d batches, %d worker(s), %d batch retries)%n",
                    produced, r.events(), r.took().toNanos() / 1e9, r.eventsPerSecond(), r.batches(), workers, liveRetries);
            System.out.printf("BENCH history=%s; batch retries by reason during the live fold: %s%n", history(), liveRetriesByReason);
        }
        System.out.printf("BENCH COPY ceiling: %d resulting rows into indexed copies in %.1f s -> %.0f rows/s, %.0f events/s equivalent%s%n%n",
                rows, copySeconds, rows / copySeconds, ceiling,
                live ? "; replay = %.0f%% of ceiling".formatted(100.0 * r.eventsPerSecond() / ceiling) : "");
        if (rebuilt != null) {
            System.out.printf("BENCH rebuild: %d events in %.1f s (fold %.1f s, recount and index builds %.1f s) -> %.0f events/s = %.0f%% of ceiling; %s%n%n",
                    rebuilt.events(), rebuilt.total().toNanos() / 1e9, rebuilt.repoEvents().took().toNanos() / 1e9,
                    rebuilt.finish().toNanos() / 1e9, rebuilt.eventsPerSecond(), 100.0 * rebuilt.eventsPerSecond() / ceiling,
                    live ? "checksums equal the live fold's" : "no live fold to compare with (coves.bench.live=false)");
        }
    }

    /** {@code coves.bench.history}: {@code synthetic} (default, {@link SyntheticNetwork}) or {@code hotspot} ({@link HotSpotHistory}). */
    private static String history() {
        return System.getProperty("coves.bench.history", "synthetic");
    }

    /** The indexer's {@code coves_indexer_batch_retries_total} by reason, as registered so far. */
    private Map<String, Double> retriesByReason() {
        Map<String, Double> out = new java.util.TreeMap<>();
        metrics.find(BatchTransaction.RETRIES_METER).counters().forEach(c -> out.put(c.getId().getTag("reason"), c.count()));
        return out;
    }

    /**
     * Empties the projections and rebuilds them from the topic with {@link ProjectionRebuild} (counters deferred to
     * one recount, {@code -Dcoves.bench.rebuild-workers=N} consumers); fails unless every table's row count and
     * checksum equal those of the live fold just measured.
     */
    private ProjectionRebuild.Report rebuildAndCompare(int batch) {
        List<String> live = checksums();
        emptyProjections();
        ProjectionRebuild.Report report = rebuild(batch);
        List<String> rebuiltSums = checksums();
        if (!live.equals(rebuiltSums)) {
            throw new AssertionError("rebuild differs from the live fold:\n live    " + live + "\n rebuilt " + rebuiltSums);
        }
        return report;
    }

    private ProjectionRebuild.Report rebuild(int batch) {
        return rebuild.rebuild(new ProjectionRebuild.Source(bootstrap, TOPIC, "bench", IDENTITY_TOPIC, "bench-identity"), batch,
                Integer.getInteger("coves.bench.rebuild-workers", 2));
    }

    private List<String> checksums() {
        List<String> out = new java.util.ArrayList<>();
        pool.query("SELECT tbl, row_count, md5 FROM appview.projection_checksums() ORDER BY tbl").execute().await().indefinitely()
                .forEach(row -> out.add(row.getString(0) + " " + row.getLong(1) + " " + row.getString(2)));
        return out;
    }

    private void emptyProjections() {
        pool.query("TRUNCATE appview.records, appview.actors, appview.communities, appview.subscriptions, appview.community_blocks, "
                + "appview.posts, appview.comments, appview.votes, appview.aggregator_services, appview.aggregator_authorizations, "
                + "appview.projection_rebuild_indexes, appview.projection_rebuilds").execute().await().indefinitely();
        pool.query("DELETE FROM appview.consumer_offsets WHERE group_id IN ('bench', 'bench-identity')").execute().await().indefinitely();
    }

    /** Starts a server-side profile (pg_stat_statements, preloaded by local-stack's PostgreSQL); false when unavailable. */
    private boolean resetServerProfile() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            st.execute("SELECT pg_stat_statements_reset()");
            return true;
        } catch (Exception e) {
            System.out.println("BENCH server profile unavailable (pg_stat_statements not preloaded): " + e.getMessage());
            return false;
        }
    }

    /**
     * Server execution time per statement during the replay (where PostgreSQL spends its core), as a share of the
     * replay's wall time: the statements' own cost, unlike the client-side times that include pipelining waits.
     */
    private void printServerProfile(double wallMillis) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("""
                     SELECT calls, total_exec_time, rows, regexp_replace(left(query, 400), '\\s+', ' ', 'g')
                       FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'
                      ORDER BY total_exec_time DESC LIMIT 16""")) {
            System.out.printf("BENCH server profile (pg_stat_statements; %% of the replay's %.1f s wall time):%n", wallMillis / 1000);
            double sum = 0;
            while (rs.next()) {
                double ms = rs.getDouble(2);
                sum += ms;
                String q = rs.getString(4);
                System.out.printf("BENCH server %6.1f s %5.1f%% %6d calls %9d rows  %s%n", ms / 1000, 100 * ms / wallMillis,
                        rs.getLong(1), rs.getLong(3), q.length() > 110 ? q.substring(0, 110) + "…" : q);
            }
            System.out.printf("BENCH server top statements together: %.1f s = %.0f%% of wall time%n", sum / 1000, 100 * sum / wallMillis);
        }
    }

    /**
     * EXPLAIN ANALYZE of the heaviest batch statements over the replayed tables, planned as the indexer plans them
     * (custom plans for real arrays, {@code plan_cache_mode=force_custom_plan}), with arrays the size of one batch.
     */
    private void explain() throws Exception {
        String votes = "(SELECT uri, voter_did, subject_uri FROM appview.votes ORDER BY uri DESC LIMIT 900) x";
        String comments = "(SELECT uri FROM appview.comments ORDER BY uri DESC LIMIT 500) x";
        String records = "(SELECT did, collection, rkey, rev, cid FROM appview.records ORDER BY rev DESC LIMIT 2000) x";
        Map<String, List<String>> statements = new java.util.LinkedHashMap<>();
        statements.put("VOTES_EFFECTIVE", List.of(social.coves.ingestor.indexer.counts.EffectiveVotes.OF_PAIRS, "text[],text[],text[]",
                "SELECT array_agg(uri) FROM " + votes, "SELECT array_agg(voter_did) FROM " + votes, "SELECT array_agg(subject_uri) FROM " + votes));
        statements.put("RECOUNT_COMMENTS", List.of(social.coves.ingestor.indexer.counts.CounterDeltas.RECOUNT_KEYS.get(social.coves.ingestor.indexer.counts.Parent.COMMENT), "text[]", "SELECT array_agg(uri) FROM " + comments));
        statements.put("COMMENT_DEPTHS", List.of(social.coves.ingestor.indexer.counts.CommentDepth.OF_SEEDS, "text[],text[]", "SELECT array_agg(uri) FROM " + comments,
                "SELECT array_agg(uri) FROM " + comments));
        statements.put("RECOUNT_POSTS", List.of(social.coves.ingestor.indexer.counts.CounterDeltas.RECOUNT_KEYS.get(social.coves.ingestor.indexer.counts.Parent.POST), "text[]",
                "SELECT array_agg(uri) FROM (SELECT uri FROM appview.posts ORDER BY uri DESC LIMIT 200) x"));
        String subs = "(SELECT uri, subscriber_did, community_did FROM appview.subscriptions ORDER BY uri DESC LIMIT 100) x";
        statements.put("SUBS_SUBSCRIBED", List.of(social.coves.ingestor.indexer.subscriptions.SubscriptionFold.SUBSCRIBED, "text[],text[],text[]", "SELECT array_agg(uri) FROM " + subs,
                "SELECT array_agg(subscriber_did) FROM " + subs, "SELECT array_agg(community_did) FROM " + subs));
        statements.put("LEDGER", List.of(RecordLedger.LEDGER, "text[],text[],text[],text[],text[],bool[]",
                "SELECT array_agg(did) FROM " + records, "SELECT array_agg(collection) FROM " + records,
                "SELECT array_agg(rkey) FROM " + records, "SELECT array_agg(rev || 'z') FROM " + records,
                "SELECT array_agg(cid) FROM " + records, "SELECT array_agg(false) FROM " + records));
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SET plan_cache_mode = force_custom_plan");
            int n = 0;
            for (var e : statements.entrySet()) {
                List<String> spec = e.getValue();
                st.execute("PREPARE q" + n + "(" + spec.get(1) + ") AS " + spec.get(0));
                List<String> literals = new java.util.ArrayList<>();
                for (String q : spec.subList(2, spec.size())) {
                    try (var rs = st.executeQuery("SELECT (" + q + ")::text")) {
                        rs.next();
                        literals.add("'" + rs.getString(1).replace("'", "''") + "'");
                    }
                }
                System.out.println("BENCH EXPLAIN " + e.getKey());
                try (var rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS) EXECUTE q" + n++ + "(" + String.join(",", literals) + ")")) {
                    while (rs.next()) {
                        System.out.println("BENCH   " + rs.getString(1));
                    }
                }
            }
            c.rollback();
            for (var e : social.coves.ingestor.indexer.counts.CountReconciler.RECOUNTS.entrySet()) {
                st.execute(social.coves.ingestor.indexer.counts.CountReconciler.CREATE_EFFECTIVE_VOTES);
                System.out.println("BENCH EXPLAIN recount " + e.getKey());
                try (var rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + e.getValue())) {
                    while (rs.next()) {
                        System.out.println("BENCH   " + rs.getString(1));
                    }
                }
                c.rollback();
            }
        }
    }

    private static String stored(Statement st, String table) throws Exception {
        try (var rs = st.executeQuery("SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns "
                + "WHERE table_schema = 'appview' AND table_name = '" + table + "' AND is_generated = 'NEVER'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * The commits of a generated network ({@link SyntheticNetwork}, seed 7: Zipf-popular communities, threads, votes
     * flipped and withdrawn, edits, deletes) as the ingestor would have written them, until {@code total} are produced.
     */
    private long produceHistory(int total) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                social.coves.localstack.testing.TestTopics.create(bootstrap, Map.of(TOPIC, 6, IDENTITY_TOPIC, 1));
            }
        }
        if ("hotspot".equals(history())) {
            // many repos on few parents: users = 1 per 50 events (at least 240), every partition on the same rows
            List<EventEnvelope> events = new HotSpotHistory(7, Math.max(240, total / 50), total).events();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new StringSerializer())) {
                for (EventEnvelope e : events) {
                    producer.send(new ProducerRecord<>(TOPIC, e.did(), EnvelopeCodec.encodeToString(e)));
                }
                producer.flush();
            }
            return events.size();
        } else if (!"synthetic".equals(history())) {
            throw new IllegalArgumentException("coves.bench.history is synthetic or hotspot, not " + history());
        }
        // identity and account frames (~5%) go to another topic: generate a little more so that `total` are commits
        SyntheticNetwork network = new SyntheticNetwork(NetworkShape.forEvents(total + total / 8L), 7, Instant.parse("2026-01-01T00:00:00Z"));
        long n = 0;
        long seq = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new StringSerializer())) {
            while (n < total && network.hasNext()) {
                EventEnvelope e = Envelopes.of(network.next(), ++seq, "bench", null);
                if (e.commit() != null) {
                    producer.send(new ProducerRecord<>(TOPIC, e.did(), EnvelopeCodec.encodeToString(e)));
                    n++;
                }
            }
            producer.flush();
        }
        return n;
    }
}
