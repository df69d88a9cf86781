package social.coves.ingestor.indexer.replay;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import social.coves.ingestor.indexer.IdentityEventIndexer;
import social.coves.ingestor.indexer.RepoEventIndexer;
import social.coves.ingestor.indexer.counts.CountReconciler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Rebuilds the projections from offset 0 of both topics into an empty schema: the same fold as the live indexer
 * (ledger, rows, offsets, one transaction per batch), except that the parents' counters and the comment depths are not
 * maintained batch by batch. They are computed set-based once at the end ({@link CountReconciler#recountUnlocked}),
 * which writes each post, comment and community row once instead of once per batch that votes, replies or subscribes
 * to it. The read indexes the fold does not need are dropped at the start and built once at the end, and autovacuum
 * is off for the tables it fills; the end runs on several connections ({@link ParallelSteps}).
 *
 * <p>A run is recorded in {@code appview.projection_rebuilds}. While it is unfinished (running, or crashed) the
 * counters are not yet right, so the live indexer refuses to start ({@link RebuildGuard}); running the rebuild again
 * resumes it from the offsets stored with its batches and finishes it. A rebuild refuses a schema that already holds
 * projections from a live indexer (reset it first, {@code scripts/reset-projections.sql}).
 */
@ApplicationScoped
public class ProjectionRebuild {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuild.class);

    /** Where to read and under which consumer groups to store the offsets (the live indexer's, so it resumes after). */
    public record Source(String bootstrap, String repoTopic, String repoGroup, String identityTopic, String identityGroup) {
    }

    /** What a finished rebuild did; {@code finish} is the end: statistics, recounts and index builds. */
    public record Report(IndexerReplay.Result repoEvents, IndexerReplay.Result identityEvents, Duration finish, Duration total) {
        public long events() {
            return repoEvents.events() + identityEvents.events();
        }

        public double eventsPerSecond() {
            return events() / Math.max(1e-9, total.toNanos() / 1e9);
        }
    }

    /** The projection tables whose secondary indexes are dropped while the rebuild folds. */
    static final List<String> TABLES = List.of("posts", "comments", "votes", "subscriptions", "communities", "community_blocks", "actors",
            "aggregator_services", "aggregator_authorizations");

    /**
     * Secondary indexes the rebuild reads, so they stay while it folds: the depth walk of the final recount follows
     * {@code parent_uri}; a community profile that arrives after its subscriptions and posts counts them.
     */
    static final Set<String> KEPT_WHILE_FOLDING = Set.of("comments_parent_new", "subscriptions_community", "posts_community_new_cover");

    /** The filled tables, analyzed before the recounts (which plan on them) and before the API's first queries. */
    private static final List<String> ANALYZED = List.of("comments", "votes", "posts", "communities", "subscriptions", "actors", "records");

    /**
     * Each counter ({@link CountReconciler#RECOUNTS}, which names the table it writes) and the tables its recount reads,
     * longest first.
     */
    private static final SequencedMap<String, List<String>> RECOUNT_READS = new LinkedHashMap<>();

    static {
        RECOUNT_READS.put("comments", List.of("comments", "votes"));
        RECOUNT_READS.put("posts", List.of("posts", "comments", "votes"));
        RECOUNT_READS.put("communities", List.of("communities", "subscriptions", "posts"));
    }

    /**
     * The table in an index definition from {@code pg_get_indexdef}: {@code CREATE INDEX n ON appview.t USING ...}
     * (without the schema when the connection's search_path holds it).
     */
    private static final Pattern INDEXED_TABLE = Pattern.compile(" ON (?:ONLY )?(?:appview\\.)?(\\w+) USING ");

    private static final String DEFERRABLE_INDEXES = """
            SELECT c.relname, pg_get_indexdef(i.indexrelid)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = 'appview' AND t.relname = ANY($1::text[]) AND NOT i.indisunique AND NOT i.indisprimary
               AND NOT (c.relname = ANY($2::text[]))
             ORDER BY c.relname""";

    private final Pool pool;
    private final IndexerReplay replay;
    private final RepoEventIndexer repo;
    private final IdentityEventIndexer identity;
    private final CountReconciler counts;

    public ProjectionRebuild(Pool pool, IndexerReplay replay, RepoEventIndexer repo, IdentityEventIndexer identity,
                             CountReconciler counts) {
        this.pool = pool;
        this.replay = replay;
        this.repo = repo;
        this.identity = identity;
        this.counts = counts;
    }

    /**
     * Folds both topics up to their end offsets at start, then recounts every counter and marks the run finished.
     *
     * @param batchSize records per batch (max.poll.records)
     * @param workers   consumers folding disjoint partitions of the repo topic at once
     * @throws IllegalStateException when the schema holds projections that no unfinished rebuild wrote
     */
    public Report rebuild(Source source, int batchSize, int workers) {
        return rebuild(source, batchSize, workers, 0).orElseThrow();
    }

    /**
     * The same, stopping after {@code crashAfterBatches} repo-event batches per worker (> 0) as a crash would: the run
     * stays unfinished and nothing is returned. The tests use it to check that a second run resumes and finishes.
     */
    public Optional<Report> rebuild(Source source, int batchSize, int workers, long crashAfterBatches) {
        long started = System.nanoTime();
        long run = beginOrResume(source);
        IndexerReplay.Result repoEvents = replay.replay(source.bootstrap(), source.repoTopic(), source.repoGroup(), batchSize,
                crashAfterBatches, workers, repo::applyBatchCountsDeferred);
        if (crashAfterBatches > 0) {
            return Optional.empty();
        }
        LOG.infof("rebuild %d: %d repo events folded in %.1f s", run, repoEvents.events(), repoEvents.took().toNanos() / 1e9);
        IndexerReplay.Result identityEvents = replay.replay(source.bootstrap(), source.identityTopic(), source.identityGroup(),
                batchSize, 0, 1, identity.batchHandler());
        LOG.infof("rebuild %d: %d identity events folded in %.1f s", run, identityEvents.events(), identityEvents.took().toNanos() / 1e9);
        long finishStarted = System.nanoTime();
        Duration fold = Duration.ofNanos(finishStarted - started);
        finish(run, workers);
        Duration finish = Duration.ofNanos(System.nanoTime() - finishStarted);
        pool.query(autovacuum("RESET (autovacuum_enabled)")).execute().await().indefinitely();
        pool.preparedQuery("""
                        UPDATE appview.projection_rebuilds SET finished_at = now(), repo_events = $2, identity_events = $3,
                               fold_seconds = $4, recount_seconds = $5
                         WHERE id = $1""")
                .execute(Tuple.of(run, repoEvents.events(), identityEvents.events(), fold.toNanos() / 1e9, finish.toNanos() / 1e9))
                .await().indefinitely();
        Report report = new Report(repoEvents, identityEvents, finish, Duration.ofNanos(System.nanoTime() - started));
        LOG.infof("rebuild %d finished: %d events in %.1f s (%.0f events/s; statistics, counters, depths and read indexes in %.1f s)", run, report.events(),
                report.total().toNanos() / 1e9, report.eventsPerSecond(), finish.toNanos() / 1e9);
        return Optional.of(report);
    }

    /**
     * Statistics, recounts and index builds, on {@code lanes} connections at once: planner statistics of the filled
     * tables first (the recounts plan on them), then each counter's recount, then each dropped read index is built
     * (after its table's recount, so the recount writes no index entries for it) in a transaction that also deletes
     * its stored definition, and last, statistics again for the recounted tables (the API plans on their counts and
     * depths). A crash here leaves the run unfinished; the next run recounts again (idempotent) and builds the rest.
     */
    private void finish(long run, int lanes) {
        Map<String, List<ParallelSteps.Step>> indexBuilds = new TreeMap<>();
        for (Row row : pool.preparedQuery("SELECT name, definition FROM appview.projection_rebuild_indexes WHERE rebuild_id = $1")
                .execute(Tuple.of(run)).await().indefinitely()) {
            String table = tableOf(row.getString(1));
            indexBuilds.computeIfAbsent(table, t -> new ArrayList<>()).add(indexBuild(run, row.getString(0), row.getString(1), table));
        }
        // Lanes take steps in this order. The comments recount is the longest chain, so it starts first; the other
        // lanes go on with the index builds of tables no recount writes, then of the tables recounted sooner.
        List<ParallelSteps.Step> steps = new ArrayList<>();
        ANALYZED.forEach(table -> steps.add(new ParallelSteps.Step("analyze " + table, Set.of(), analyze(table))));
        RECOUNT_READS.forEach((counter, reads) -> steps.add(new ParallelSteps.Step("recount " + counter,
                reads.stream().map(t -> "analyze " + t).collect(Collectors.toSet()),
                tx -> counts.recountUnlocked(tx, counter).invoke(rows -> LOG.infof("rebuild %d: recount %s wrote %d rows", run, counter, rows)))));
        indexBuilds.forEach((table, builds) -> {
            if (!RECOUNT_READS.containsKey(table)) {
                steps.addAll(builds);
            }
        });
        for (String counter : RECOUNT_READS.reversed().keySet()) {
            List<ParallelSteps.Step> builds = indexBuilds.getOrDefault(counter, List.of());
            steps.addAll(builds);
            // statistics again once the counts and depths are in: the API plans on them
            Set<String> after = new HashSet<>(Set.of("recount " + counter));
            builds.forEach(build -> after.add(build.name()));
            steps.add(new ParallelSteps.Step("analyze again " + counter, after, analyze(counter)));
        }
        ParallelSteps.run(pool, steps, lanes, "rebuild " + run + ": ");
    }

    private static Function<SqlConnection, Uni<?>> analyze(String table) {
        return tx -> tx.query("ANALYZE appview." + table).execute();
    }

    /** One dropped index built from its stored definition, after its table's recount; the definition row goes with it. */
    private static ParallelSteps.Step indexBuild(long run, String name, String definition, String table) {
        Set<String> after = RECOUNT_READS.containsKey(table) ? Set.of("recount " + table) : Set.of();
        return new ParallelSteps.Step("index " + table + " " + name, after, tx -> tx.query("SET LOCAL maintenance_work_mem = '256MB'").execute()
                .chain(() -> tx.query(definition).execute())
                .chain(() -> tx.preparedQuery("DELETE FROM appview.projection_rebuild_indexes WHERE rebuild_id = $1 AND name = $2")
                        .execute(Tuple.of(run, name))));
    }

    private static String tableOf(String definition) {
        Matcher m = INDEXED_TABLE.matcher(definition);
        if (!m.find()) {
            throw new IllegalStateException("cannot tell the table of index definition: " + definition);
        }
        return m.group(1);
    }

    /** The id of the unfinished run to resume, or of a new run on an empty schema. */
    private long beginOrResume(Source source) {
        return pool.withTransaction(tx -> tx.query("LOCK TABLE appview.projection_rebuilds IN EXCLUSIVE MODE").execute()
                .chain(() -> tx.query("SELECT id FROM appview.projection_rebuilds WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1").execute())
                .chain(unfinished -> {
                    if (unfinished.size() > 0) {
                        long id = unfinished.iterator().next().getLong(0);
                        LOG.infof("rebuild %d: resuming from the stored offsets", id);
                        return Uni.createFrom().item(id);
                    }
                    return tx.preparedQuery("""
                                    SELECT EXISTS (SELECT 1 FROM appview.records)
                                        OR EXISTS (SELECT 1 FROM appview.consumer_offsets WHERE group_id IN ($1, $2))""")
                            .execute(Tuple.of(source.repoGroup(), source.identityGroup()))
                            .chain(rows -> {
                                if (rows.iterator().next().getBoolean(0)) {
                                    throw new IllegalStateException("the appview schema already holds projections or offsets of "
                                            + source.repoGroup() + "/" + source.identityGroup() + "; a rebuild starts from an "
                                            + "empty schema: stop the indexers and run scripts/reset-projections.sql first");
                                }
                                return tx.query("INSERT INTO appview.projection_rebuilds DEFAULT VALUES RETURNING id").execute()
                                        .map(ids -> ids.iterator().next().getLong(0))
                                        .call(id -> dropReadIndexes(tx, id))
                                        .call(() -> tx.query(autovacuum("SET (autovacuum_enabled = false)")).execute());
                            });
                }))
                .await().indefinitely();
    }

    /**
     * Autovacuum is off for the filled tables while the rebuild runs: it would analyze and vacuum them again and again
     * as they grow, on the cores the fold needs; the end analyzes them once.
     */
    private static String autovacuum(String action) {
        return String.join("; ", Stream.concat(TABLES.stream(), Stream.of("records"))
                .map(table -> "ALTER TABLE appview." + table + " " + action).toList());
    }

    /** Drops the read indexes of the projection tables, keeping their definitions with the run (same transaction). */
    private static Uni<Void> dropReadIndexes(SqlConnection tx, long run) {
        return tx.preparedQuery(DEFERRABLE_INDEXES).execute(Tuple.of(TABLES.toArray(String[]::new), KEPT_WHILE_FOLDING.toArray(String[]::new)))
                .chain(indexes -> {
                    List<String> names = new ArrayList<>();
                    List<String> definitions = new ArrayList<>();
                    indexes.forEach(r -> {
                        names.add(r.getString(0));
                        definitions.add(r.getString(1));
                    });
                    if (names.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    String drop = "DROP INDEX " + String.join(", ", names.stream().map(n -> "appview." + quoteIdent(n)).toList());
                    return tx.preparedQuery("INSERT INTO appview.projection_rebuild_indexes (rebuild_id, name, definition) "
                                    + "SELECT $1, * FROM unnest($2::text[], $3::text[])")
                            .execute(Tuple.of(run, names.toArray(String[]::new), definitions.toArray(String[]::new)))
                            .chain(() -> tx.query(drop).execute())
                            .invoke(() -> LOG.infof("rebuild %d: %d read indexes dropped until the end: %s", run, names.size(), names))
                            .replaceWithVoid();
                });
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** The unfinished rebuild, if any (started when, as text). */
    public Optional<String> unfinished() {
        for (Row row : pool.query("SELECT id, started_at FROM appview.projection_rebuilds WHERE finished_at IS NULL ORDER BY id LIMIT 1")
                .execute().await().indefinitely()) {
            return Optional.of("rebuild " + row.getLong(0) + " started " + row.getOffsetDateTime(1));
        }
        return Optional.empty();
    }
}
