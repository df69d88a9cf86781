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
     * Each voter's effective vote per subject, counted per subject once for the posts and the comments recount: a
     * temporary table of this transaction.
     */
    public static final String CREATE_EFFECTIVE_VOTES = EffectiveVotes.temporaryTable(null);

    /** The collection each voted counter's subjects are in (communities are not voted on). */
    private static final Map<String, String> VOTED_COLLECTION = Map.of(
            "posts", "/social.coves.community.post/", "comments", "/social.coves.community.comment/");

    /**
     * counter name (the table it writes) → statement updating the rows whose counts differ (its row count is the
     * drift); generated from the counters' definitions ({@link Counter}), the comments' with their depth.
     */
    public static final Map<String, String> RECOUNTS = new LinkedHashMap<>();

    static {
        RECOUNTS.put("posts", Counter.recountAll(Parent.POST, null));
        RECOUNTS.put("comments", Counter.recountAll(Parent.COMMENT, CommentDepth.ALL));
        RECOUNTS.put("communities", Counter.recountAll(Parent.COMMUNITY, null));
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
                : tx.query(EffectiveVotes.temporaryTable(collection)).execute()
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
