package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.ingestor.indexer.counts.Parent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lock order of the indexer's batch transactions: every lock a batch takes, in the order it takes them. Any number
 * of indexer replicas (one consumer group, up to one per partition) and the identity-events consumer can then fold at
 * once without a deadlock: a transaction only ever waits for a lock that comes later in this order than every lock it
 * holds, so no two transactions can wait for each other.
 *
 * <ol>
 *   <li><b>The count lock</b>, shared (advisory {@code (1131376229, 1)}, {@link BatchTransaction#SHARED_COUNT_LOCK}); the
 *   count reconciliation takes it exclusively, before anything else.</li>
 *   <li><b>Offsets</b>: the batch's rows of {@code appview.consumer_offsets}, ordered by (topic, partition), inserted
 *   first when missing ({@link BatchTransaction}). Two transactions folding the same partition (a rebalance hands it over
 *   while the old owner's batch is still running) meet here and run one after the other.</li>
 *   <li><b>Own rows</b>: the ledger ({@code appview.records}, ordered by key) and every row keyed by a record of the
 *   batch: votes, subscriptions, blocks, aggregator records. Kafka partitions are keyed by repo DID, so only the
 *   transaction that holds the partition's offsets row (2) writes them (while partitions are added, a repo's in-flight
 *   records may sit in two partitions: the one moment this order does not cover; a deadlock then is retried whole).</li>
 *   <li><b>Threads</b>: advisory {@code (1131376230, hashtext(root post URI))} of every thread in which the batch places a
 *   comment (a new one, one that moves, a placeholder whose shape is filled in; the root before and after), ordered by
 *   lock key. Whoever changes the shape of a thread holds its lock, so the stored descendants of those comments, read
 *   next, cannot change until the batch commits: the depth walk writes no row it has not locked in (6), and a reply and
 *   its parent folded by two replicas at once meet here, so the later one gives the reply its depth.</li>
 *   <li><b>Parent keys</b>: advisory {@code hashtextextended(key, 0)} (the lock of {@link
 *   social.coves.ingestor.indexer.counts.Parent#KEY_LOCK}) of every post and comment the batch inserts, of every
 *   parent post or comment it updates that has no row yet, and of every community it writes, ordered by lock key. A
 *   parent and its early children meet here: either the parent's recount sees the child, or the child's counter update
 *   sees the parent.</li>
 *   <li><b>Parent rows</b>: {@code SELECT … ORDER BY key FOR NO KEY UPDATE} of every existing row the batch will update:
 *   {@code appview.posts} (its own posts, the posts its votes and comments count on), then {@code appview.comments}
 *   (its own comments, the comments its votes and replies count on, the stored descendants whose depth it may fill in),
 *   then {@code appview.communities} (profiles, post and subscriber counts).</li>
 *   <li><b>Actors</b>: {@code appview.actors} rows in DID order ({@link ActorLockOrder}), the batch's last writes: the
 *   actor profiles and the rows of accounts the batch names for the first time ({@code actors.FirstSight}, inserted
 *   {@code ON CONFLICT DO NOTHING}, which locks no existing row), interleaved in one DID order. The
 *   identity-events batch takes (1), its own offsets (2) and then only actor rows, in the same order.</li>
 * </ol>
 *
 * After (6) no statement of the batch takes a row lock it does not already hold: every {@code UPDATE} of a post,
 * comment or community (upserts, soft deletes, counter deltas, recounts of the batch's new rows, the depth fill-in,
 * community profiles and their recount) is on a row of (6) or on a row inserted under its lock of (5); {@link BatchFold}
 * refuses a counter update outside the set, and the depth walk is restricted to it. The other writers of these tables
 * never wait while holding a lock a batch needs: the hostedBy and handle jobs claim rows with {@code SKIP LOCKED} and update one
 * row per statement; the reconciliation holds (1) exclusively. A rebuild ({@code Counters.DEFERRED}) writes only its own
 * rows, the community profile rows of its own repos and first-seen actor rows, so it needs only (1)–(3) and (7).
 *
 * <p>Row locks are used for existing rows rather than advisory locks because they cost no shared lock-table slot: a
 * batch may touch thousands of parents.
 */
public final class BatchLockOrder {

    private BatchLockOrder() {
    }

    /** Advisory class of the thread locks (4); the count lock is class {@code 1131376229}. */
    static final int THREAD_LOCK_CLASS = 1131376230;

    private static final String THREADS = """
            SELECT pg_advisory_xact_lock(%d, h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS u(k) ORDER BY h) s"""
            .formatted(THREAD_LOCK_CLASS);

    /** Every stored descendant of the given comments (through parent links, whatever their root; cycles end). */
    static final String DESCENDANTS = """
            WITH RECURSIVE d(uri) AS (
                SELECT c.uri FROM unnest($1::text[]) AS s(u)
                 CROSS JOIN LATERAL (SELECT c.uri FROM appview.comments c WHERE c.parent_uri = s.u OFFSET 0) c
                UNION
                SELECT c.uri FROM d CROSS JOIN LATERAL (SELECT c.uri FROM appview.comments c WHERE c.parent_uri = d.uri OFFSET 0) c)
            SELECT uri FROM d""";

    private static final String POSTS_EXISTING = "SELECT uri FROM appview.posts WHERE uri = ANY($1::text[])";
    private static final String COMMENTS_EXISTING = "SELECT uri FROM appview.comments WHERE uri = ANY($1::text[])";

    private static final String PARENT_KEYS = """
            SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS u(k) ORDER BY h) s""";

    private static final String POSTS_ROWS = "SELECT uri FROM appview.posts WHERE uri = ANY($1::text[]) ORDER BY uri FOR NO KEY UPDATE";
    private static final String COMMENTS_ROWS = "SELECT uri, root_uri FROM appview.comments WHERE uri = ANY($1::text[]) ORDER BY uri FOR NO KEY UPDATE";
    private static final String COMMUNITIES_ROWS = "SELECT did FROM appview.communities WHERE did = ANY($1::text[]) ORDER BY did FOR NO KEY UPDATE";

    /**
     * What one batch will write in the parent tables, collected by {@link BatchFold} before it writes any of them (only
     * its own rows, (3), are written before the locks).
     */
    public static final class Plan {
        /** Root post URIs of the threads in which the batch writes comments. */
        public final Set<String> threads = new TreeSet<>();
        /** Comments the batch places in a thread (new, moved, shape filled in): their stored descendants may get a new depth. */
        public final Set<String> depthSeeds = new TreeSet<>();
        /** Posts, comments and communities the batch inserts or updates (parents and its own rows). */
        public final Set<String> posts = new TreeSet<>();
        public final Set<String> comments = new TreeSet<>();
        public final Set<String> communities = new TreeSet<>();
        /** Posts and comments the batch inserts (no stored row). */
        public final Set<String> inserted = new TreeSet<>();
        /**
         * The thread (root post) of every stored comment the batch locked, read under its lock: it cannot change until
         * the batch commits (only the comment's own batch writes it, under the same lock).
         */
        public final java.util.Map<String, String> lockedRoots = new java.util.HashMap<>();

        public void add(Parent parent, String key) {
            if (key == null) {
                return;
            }
            switch (parent) {
                case POST -> posts.add(key);
                case COMMENT -> comments.add(key);
                case COMMUNITY -> communities.add(key);
            }
        }

        /** Whether the batch locked the row of {@code key} (or its key, while it has no row). */
        public boolean covers(Parent parent, String key) {
            return switch (parent) {
                case POST -> posts.contains(key);
                case COMMENT -> comments.contains(key);
                case COMMUNITY -> communities.contains(key);
            };
        }

        boolean isEmpty() {
            return threads.isEmpty() && posts.isEmpty() && comments.isEmpty() && communities.isEmpty();
        }
    }

    /**
     * Takes locks (4)–(6) for the plan, in order. Adds the stored descendants of the plan's depth seeds to its comments
     * (read under the thread locks, so the set is complete until the batch commits).
     */
    static Uni<Void> acquire(SqlConnection tx, Plan plan) {
        if (plan.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> probePosts = new ArrayList<>();
        plan.posts.forEach(k -> {
            if (!plan.inserted.contains(k)) {
                probePosts.add(k);
            }
        });
        List<String> probeComments = new ArrayList<>();
        plan.comments.forEach(k -> {
            if (!plan.inserted.contains(k)) {
                probeComments.add(k);
            }
        });
        // one round trip: which parents have rows, the thread locks, then (under them) the descendants
        Uni<RowSet<Row>> posts = probePosts.isEmpty() ? Uni.createFrom().nullItem()
                : tx.preparedQuery(POSTS_EXISTING).execute(Tuple.of((Object) probePosts.toArray(String[]::new)));
        Uni<RowSet<Row>> comments = probeComments.isEmpty() ? Uni.createFrom().nullItem()
                : tx.preparedQuery(COMMENTS_EXISTING).execute(Tuple.of((Object) probeComments.toArray(String[]::new)));
        Uni<RowSet<Row>> threads = plan.threads.isEmpty() ? Uni.createFrom().nullItem()
                : tx.preparedQuery(THREADS).execute(Tuple.of((Object) plan.threads.toArray(String[]::new)));
        Uni<RowSet<Row>> descendants = plan.depthSeeds.isEmpty() ? Uni.createFrom().nullItem()
                : tx.preparedQuery(DESCENDANTS).execute(Tuple.of((Object) plan.depthSeeds.toArray(String[]::new)));
        return Uni.combine().all().unis(posts, comments, threads, descendants).asTuple().chain(read -> {
            Set<String> existing = new HashSet<>();
            if (read.getItem1() != null) {
                read.getItem1().forEach(r -> existing.add(r.getString(0)));
            }
            if (read.getItem2() != null) {
                read.getItem2().forEach(r -> existing.add(r.getString(0)));
            }
            if (read.getItem4() != null) {
                read.getItem4().forEach(r -> plan.comments.add(r.getString(0)));
            }
            // (5): rows the batch inserts, parents without a row (yet), every community (a profile delete removes its row)
            Set<String> keys = new TreeSet<>(plan.inserted);
            probePosts.stream().filter(k -> !existing.contains(k)).forEach(keys::add);
            probeComments.stream().filter(k -> !existing.contains(k)).forEach(keys::add);
            keys.addAll(plan.communities);
            List<Uni<RowSet<Row>>> steps = new ArrayList<>();
            if (!keys.isEmpty()) {
                steps.add(tx.preparedQuery(PARENT_KEYS).execute(Tuple.of((Object) keys.toArray(String[]::new))));
            }
            // (6): the rows, table by table; sent together, run in this order
            if (!plan.posts.isEmpty()) {
                steps.add(tx.preparedQuery(POSTS_ROWS).execute(Tuple.of((Object) plan.posts.toArray(String[]::new))));
            }
            if (!plan.comments.isEmpty()) {
                steps.add(tx.preparedQuery(COMMENTS_ROWS).execute(Tuple.of((Object) plan.comments.toArray(String[]::new)))
                        .invoke(rows -> rows.forEach(r -> plan.lockedRoots.put(r.getString(0), r.getString(1)))));
            }
            if (!plan.communities.isEmpty()) {
                steps.add(tx.preparedQuery(COMMUNITIES_ROWS).execute(Tuple.of((Object) plan.communities.toArray(String[]::new))));
            }
            return steps.isEmpty() ? Uni.createFrom().voidItem() : Uni.combine().all().unis(steps).discardItems();
        });
    }
}
