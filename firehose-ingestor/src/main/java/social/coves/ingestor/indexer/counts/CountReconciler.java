package social.coves.ingestor.indexer.counts;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import social.coves.ingestor.indexer.BatchTransaction;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recounts every derived counter from the stored children, fixes rows that drifted and reports them: log line,
 * gauge {@code coves_indexer_count_drift{counter}} (rows fixed by the last run), counter
 * {@code coves_indexer_count_drift_fixed_total{counter}}, and a row in {@code appview.count_reconciliations}.
 *
 * <p>Runs in one transaction holding the count lock exclusively, so no indexer batch is half-applied while it counts
 * (batches hold it shared). Scheduled every {@code coves.indexer.reconcile-interval} (default 10 min, 0 = off) and
 * callable directly ({@link #reconcile()}).
 */
@ApplicationScoped
public class CountReconciler {

    private static final Logger LOG = Logger.getLogger(CountReconciler.class);

    /**
     * Each voter's effective vote (greatest rkey) per subject, counted per subject once for the posts and the comments
     * recount: a temporary table of this transaction.
     */
    public static final String CREATE_EFFECTIVE_VOTES = effectiveVotes("");

    /** The collection each voted counter's subjects are in (communities are not voted on). */
    private static final Map<String, String> VOTED_COLLECTION = Map.of(
            "posts", "social.coves.community.post", "comments", "social.coves.community.comment");

    private static String effectiveVotes(String where) {
        return """
                CREATE TEMPORARY TABLE effective_votes ON COMMIT DROP AS
                SELECT subject_uri, count(*) FILTER (WHERE direction = 'up') AS up, count(*) FILTER (WHERE direction = 'down') AS down
                  FROM (SELECT DISTINCT ON (subject_uri, voter_did) subject_uri, direction FROM appview.votes %s
                         ORDER BY subject_uri, voter_did, rkey DESC) e GROUP BY subject_uri""".formatted(where);
    }

    /** counter name → statement updating the rows whose counts differ (its row count is the drift). */
    public static final Map<String, String> RECOUNTS = new LinkedHashMap<>();

    static {
        RECOUNTS.put("posts", """
                WITH v AS (SELECT * FROM effective_votes),
                     c AS (SELECT root_uri, count(*) n FROM appview.comments WHERE deleted_at IS NULL GROUP BY root_uri),
                     t AS (SELECT parent_uri, count(*) n FROM appview.comments WHERE deleted_at IS NULL GROUP BY parent_uri),
                     want AS (SELECT p.uri, COALESCE(v.up, 0) up, COALESCE(v.down, 0) down, COALESCE(c.n, 0) cc, COALESCE(t.n, 0) tc
                                FROM appview.posts p LEFT JOIN v ON v.subject_uri = p.uri LEFT JOIN c ON c.root_uri = p.uri
                                LEFT JOIN t ON t.parent_uri = p.uri)
                UPDATE appview.posts p SET upvotes = w.up, downvotes = w.down, comment_count = w.cc, top_level_comment_count = w.tc
                  FROM want w
                 WHERE p.uri = w.uri AND (p.upvotes, p.downvotes, p.comment_count, p.top_level_comment_count)
                       IS DISTINCT FROM (w.up, w.down, w.cc, w.tc)""");
        // A comment's depth is derived too: 0 under a post, parent + 1 below a comment, NULL while an ancestor is
        // unknown (or the reply refs form a cycle, which no walk from a post reaches). Every comment has one parent, so
        // the walk from the posts is a forest and ends without a cap; each step probes the parent index (LATERAL), where
        // a hash join would hash the whole table once per level.
        RECOUNTS.put("comments", """
                WITH RECURSIVE d(uri, depth) AS (
                    SELECT uri, 0 FROM appview.comments WHERE strpos(parent_uri, '/social.coves.community.post/') > 0
                    UNION ALL
                    SELECT c.uri, d.depth + 1 FROM d
                     CROSS JOIN LATERAL (SELECT c.uri FROM appview.comments c WHERE c.parent_uri = d.uri OFFSET 0) c),
                     v AS (SELECT * FROM effective_votes),
                     r AS (SELECT parent_uri, count(*) n FROM appview.comments WHERE deleted_at IS NULL GROUP BY parent_uri),
                     want AS (SELECT c.uri, COALESCE(v.up, 0) up, COALESCE(v.down, 0) down, COALESCE(r.n, 0) rc, d.depth
                                FROM appview.comments c LEFT JOIN v ON v.subject_uri = c.uri LEFT JOIN r ON r.parent_uri = c.uri
                                LEFT JOIN d ON d.uri = c.uri)
                UPDATE appview.comments c SET upvotes = w.up, downvotes = w.down, reply_count = w.rc, depth = w.depth
                  FROM want w
                 WHERE c.uri = w.uri AND (c.upvotes, c.downvotes, c.reply_count, c.depth) IS DISTINCT FROM (w.up, w.down, w.rc, w.depth)""");
        RECOUNTS.put("communities", """
                WITH s AS (SELECT community_did, count(DISTINCT subscriber_did) n FROM appview.subscriptions GROUP BY community_did),
                     p AS (SELECT community_did, count(*) n FROM appview.posts WHERE deleted_at IS NULL GROUP BY community_did),
                     want AS (SELECT c.did, COALESCE(s.n, 0) sc, COALESCE(p.n, 0) pc
                                FROM appview.communities c LEFT JOIN s ON s.community_did = c.did LEFT JOIN p ON p.community_did = c.did)
                UPDATE appview.communities c SET subscriber_count = w.sc, post_count = w.pc
                  FROM want w
                 WHERE c.did = w.did AND (c.subscriber_count, c.post_count) IS DISTINCT FROM (w.sc, w.pc)""");
    }

    private final Pool pool;
    private final MeterRegistry metrics;
    private final Duration interval;
    private final boolean indexerEnabled;
    private final Map<String, AtomicLong> lastDrift = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public CountReconciler(Pool pool, MeterRegistry metrics,
                           @ConfigProperty(name = "coves.indexer.reconcile-interval", defaultValue = "PT10M") Duration interval,
                           @ConfigProperty(name = "coves.ingestor.indexer.enabled", defaultValue = "true") boolean indexerEnabled) {
        this.pool = pool;
        this.metrics = metrics;
        this.interval = interval;
        this.indexerEnabled = indexerEnabled;
        RECOUNTS.keySet().forEach(counter -> lastDrift.put(counter,
                metrics.gauge("coves_indexer_count_drift", io.micrometer.core.instrument.Tags.of("counter", counter), new AtomicLong())));
    }

    void start(@Observes StartupEvent ignored) {
        if (!indexerEnabled || interval.isZero() || interval.isNegative()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("count-reconciler").daemon().unstarted(r));
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                reconcile().await().atMost(Duration.ofMinutes(30));
            } catch (RuntimeException e) {
                LOG.warnf(e, "indexer: count reconciliation failed");
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Recounts everything; emits the number of drifted (and now fixed) rows per counter. */
    public Uni<Map<String, Long>> reconcile() {
        return pool.withTransaction(tx -> recountAll(tx).call(drift -> record(tx, drift)))
                .invoke(drift -> drift.forEach((counter, rows) -> {
                    lastDrift.get(counter).set(rows);
                    if (rows > 0) {
                        metrics.counter("coves_indexer_count_drift_fixed", "counter", counter).increment(rows);
                        LOG.warnf("indexer: count drift: %d %s rows had wrong counts (fixed)", rows, counter);
                    }
                }))
                .invoke(drift -> LOG.infof("indexer: count reconciliation done, drift %s", drift));
    }

    /**
     * Inside the caller's transaction: takes the count lock exclusively (no batch is half-applied meanwhile) and sets
     * every counter to the count of its stored children; emits the rows changed per counter.
     */
    private Uni<Map<String, Long>> recountAll(SqlConnection tx) {
        // the aggregates sort and hash whole tables: give them memory for this transaction only
        return tx.query(BatchTransaction.EXCLUSIVE_COUNT_LOCK).execute()
                .chain(() -> tx.query("SET LOCAL work_mem = '128MB'").execute())
                .chain(() -> tx.query(CREATE_EFFECTIVE_VOTES).execute())
                .chain(() -> tx.query("ANALYZE effective_votes").execute())
                .chain(() -> run(tx, new LinkedHashMap<>(), 0));
    }

    /**
     * One counter recounted in the caller's transaction without the count lock, with the effective votes of its own
     * subjects only; emits the rows written. For the rebuild: no indexer batch runs beside it ({@code RebuildGuard}),
     * so its recounts run on several connections at once.
     */
    public Uni<Long> recountUnlocked(SqlConnection tx, String counter) {
        String statement = RECOUNTS.get(counter);
        if (statement == null) {
            throw new IllegalArgumentException("no counter " + counter + "; counters: " + RECOUNTS.keySet());
        }
        String collection = VOTED_COLLECTION.get(counter);
        Uni<?> votes = collection == null ? Uni.createFrom().voidItem()
                : tx.query(effectiveVotes("WHERE strpos(subject_uri, '/" + collection + "/') > 0")).execute()
                        .chain(() -> tx.query("ANALYZE effective_votes").execute());
        return tx.query("SET LOCAL work_mem = '128MB'").execute()
                .chain(() -> votes)
                .chain(() -> tx.query(statement).execute())
                .map(rows -> (long) rows.rowCount());
    }

    private static Uni<Void> record(SqlConnection tx, Map<String, Long> drift) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (var entry : drift.entrySet()) {
            if (entry.getValue() > 0) {
                chain = chain.chain(() -> tx.preparedQuery("INSERT INTO appview.count_reconciliations (counter, rows_fixed) VALUES ($1, $2)")
                        .execute(Tuple.of(entry.getKey(), entry.getValue())).replaceWithVoid());
            }
        }
        return chain;
    }

    private Uni<Map<String, Long>> run(SqlConnection tx, Map<String, Long> drift, int i) {
        if (i == RECOUNTS.size()) {
            return Uni.createFrom().item(drift);
        }
        String counter = RECOUNTS.keySet().stream().skip(i).findFirst().orElseThrow();
        long started = System.nanoTime();
        return tx.query(RECOUNTS.get(counter)).execute().chain(rows -> {
            LOG.infof("recount %s: %d rows changed in %d ms", counter, rows.rowCount(), (System.nanoTime() - started) / 1_000_000);
            drift.put(counter, (long) rows.rowCount());
            return run(tx, drift, i + 1);
        });
    }
}
