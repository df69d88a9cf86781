package social.coves.ingestor.indexer.counts;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.lexicon.CovesCollections;

/**
 * Counters on parent rows (posts, comments, communities), moved by children inside the batch transaction.
 *
 * <p>Children may arrive before their parent, possibly in a concurrent transaction of another indexer replica
 * (votes/comments are keyed by the voter's DID, posts by the community's). Both sides serialise on a transaction
 * advisory lock named after the parent key: a parent takes it before inserting and recounting its children; a child
 * takes it only when its counter update found no parent row, then retries the update once. Either the parent's
 * recount sees the child, or the child's retry sees the parent — never both, never neither. (That is the per-event
 * path. The batch fold takes the same key locks up front, for every parent without a row and every row it inserts,
 * in the order of {@code BatchLockOrder}, before any write.)
 */
public final class ParentCounters {

    /** Where a parent row lives. */
    public enum Parent {
        POST("appview.posts", "uri"),
        COMMENT("appview.comments", "uri"),
        COMMUNITY("appview.communities", "did");

        final String table;
        final String key;

        Parent(String table, String key) {
            this.table = table;
            this.key = key;
        }

        /** The parent kind an at:// URI points to, or null when we keep no counters for it. */
        public static Parent ofUri(String uri) {
            if (uri == null) {
                return null;
            }
            if (uri.contains("/" + CovesCollections.COMMUNITY_POST + "/")) {
                return POST;
            }
            if (uri.contains("/" + CovesCollections.COMMUNITY_COMMENT + "/")) {
                return COMMENT;
            }
            return null;
        }
    }

    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

    private static final String VOTES_OF = """
            (SELECT count(*) FILTER (WHERE e.direction = 'up') AS up, count(*) FILTER (WHERE e.direction = 'down') AS down
               FROM (SELECT DISTINCT ON (v.voter_did) v.direction FROM appview.votes v WHERE v.subject_uri = $1
                      ORDER BY v.voter_did, v.rkey DESC) e)""";

    private static final String RECOUNT_POST = """
            UPDATE appview.posts p SET upvotes = v.up, downvotes = v.down,
                   comment_count = (SELECT count(*) FILTER (WHERE c.deleted_at IS NULL) FROM appview.comments c WHERE c.root_uri = $1),
                   top_level_comment_count = (SELECT count(*) FILTER (WHERE c.deleted_at IS NULL) FROM appview.comments c WHERE c.parent_uri = $1)
              FROM %s v WHERE p.uri = $1""".formatted(VOTES_OF);

    private static final String RECOUNT_COMMENT = """
            UPDATE appview.comments p SET upvotes = v.up, downvotes = v.down,
                   reply_count = (SELECT count(*) FILTER (WHERE c.deleted_at IS NULL) FROM appview.comments c WHERE c.parent_uri = $1)
              FROM %s v WHERE p.uri = $1""".formatted(VOTES_OF);

    private static final String RECOUNT_COMMUNITY = """
            UPDATE appview.communities SET
                   subscriber_count = (SELECT count(DISTINCT s.subscriber_did) FROM appview.subscriptions s WHERE s.community_did = $1),
                   post_count = (SELECT count(*) FROM appview.posts p WHERE p.community_did = $1 AND p.deleted_at IS NULL)
             WHERE did = $1""";

    private ParentCounters() {
    }

    /** Takes the parent lock for {@code key} (a URI or community DID) until the transaction ends. */
    public static Uni<Void> lock(SqlConnection tx, String key) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(key)).replaceWithVoid();
    }

    /** Adds {@code delta} to {@code column} of the parent row; a missing parent recounts this child when it arrives. */
    public static Uni<Void> bump(SqlConnection tx, Parent parent, String key, String column, long delta) {
        return bump(tx, parent, key, new String[]{column}, new long[]{delta});
    }

    /** Adds each delta to its column of the parent row in one statement; zero deltas are left out. */
    public static Uni<Void> bump(SqlConnection tx, Parent parent, String key, String[] columns, long[] deltas) {
        if (parent == null || key == null) {
            return Uni.createFrom().voidItem();
        }
        StringBuilder set = new StringBuilder();
        Tuple args = Tuple.of(key);
        for (int i = 0; i < columns.length; i++) {
            if (deltas[i] == 0) {
                continue;
            }
            args.addLong(deltas[i]);
            set.append(set.isEmpty() ? "" : ", ").append(columns[i]).append(" = ").append(columns[i]).append(" + $").append(args.size());
        }
        if (set.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String sql = "UPDATE " + parent.table + " SET " + set + " WHERE " + parent.key + " = $1";
        return tx.preparedQuery(sql).execute(args).chain(rows -> rows.rowCount() > 0
                ? Uni.createFrom().voidItem()
                : lock(tx, key).chain(() -> tx.preparedQuery(sql).execute(args)).replaceWithVoid());
    }

    /** Recounts votes, comment counts of a post from its stored children (after the post row was inserted). */
    public static Uni<Void> recountPost(SqlConnection tx, String uri) {
        return tx.preparedQuery(RECOUNT_POST).execute(Tuple.of(uri)).replaceWithVoid();
    }

    /** Recounts votes and replies of a comment from its stored children. */
    public static Uni<Void> recountComment(SqlConnection tx, String uri) {
        return tx.preparedQuery(RECOUNT_COMMENT).execute(Tuple.of(uri)).replaceWithVoid();
    }

    /** Recounts subscribers and posts of a community. */
    public static Uni<Void> recountCommunity(SqlConnection tx, String did) {
        return tx.preparedQuery(RECOUNT_COMMUNITY).execute(Tuple.of(did)).replaceWithVoid();
    }
}
