package social.coves.ingestor.indexer.counts;

import java.util.Objects;

/**
 * A comment's place in its thread, defined once: depth 0 directly under its root post, its parent's depth + 1 below a
 * parent comment of the same thread; NULL while an ancestor is unknown, when the reply refs form a cycle, or when the
 * parent is not in the thread the comment names as its root (a reply cannot be slipped into another thread: it is
 * shown in no thread and counts as no one's reply, see {@link Counter#COMMENT_REPLIES}). The same rule in its three
 * forms: {@link #below} for rows the batch fold writes (their parents folded in the batch or stored), {@link #OF_SEEDS}
 * for what that cannot see (stored descendants, parents committed meanwhile), {@link #ALL} for the reconciliation and
 * the rebuild.
 */
public final class CommentDepth {

    private CommentDepth() {
    }

    /**
     * The depth of a comment of the thread {@code root} whose parent is {@code parentUri}; when that is a comment, of
     * the thread {@code parentRoot} and the depth {@code parentDepth}.
     */
    public static Integer below(String root, String parentUri, String parentRoot, Integer parentDepth) {
        return switch (Parent.ofUri(parentUri)) {
            case POST -> parentUri.equals(root) ? 0 : null;
            case COMMENT -> parentDepth == null || !Objects.equals(parentRoot, root) ? null : parentDepth + 1;
            case null, default -> null;
        };
    }

    /** The comment {@code c} is directly under its root post. */
    private static final String UNDER_ITS_POST = "strpos(c.parent_uri, '/social.coves.community.post/') > 0 AND c.parent_uri = c.root_uri";

    /**
     * Depth of the comments $1 (placed in a thread by the batch) and of all their stored descendants, written only on
     * the rows $2 (the comments the batch has locked: {@code BatchLockOrder}). The walk starts at the comments whose
     * parent is not in $1 (the others are reached from their parent). A start row reads its parent's depth from before
     * this walk, which the walk may be filling in the same statement (an ancestor arriving in the same batch as a reply
     * further down), so a comment reached on several paths takes the longest one: the path from the highest start row
     * runs through every depth this walk recomputes. It goes on below a comment without a depth only to clear the depths
     * stored there (a subtree moved out of its thread); cycles of forged reply refs are cut by the depth cap.
     */
    public static final String OF_SEEDS = """
            WITH RECURSIVE s AS (SELECT DISTINCT unnest($1::text[]) COLLATE "C" AS uri),
            d(uri, root, depth, stored, n) AS (
                SELECT c.uri, c.root_uri,
                       CASE WHEN %s THEN 0
                            WHEN p.root_uri = c.root_uri AND strpos(c.parent_uri, '/social.coves.community.comment/') > 0 THEN p.depth + 1 END,
                       c.depth, 0
                  FROM appview.comments c
                  LEFT JOIN LATERAL (SELECT p.depth, p.root_uri FROM appview.comments p WHERE p.uri = c.parent_uri LIMIT 1) p ON true
                 WHERE c.uri = ANY($1::text[])
                   AND (c.parent_uri IS NULL OR NOT EXISTS (SELECT 1 FROM s s2 WHERE s2.uri = c.parent_uri))
                UNION ALL
                SELECT c.uri, c.root_uri, CASE WHEN c.root_uri = d.root THEN d.depth + 1 END, c.depth, d.n + 1 FROM d
                 CROSS JOIN LATERAL (SELECT c.uri, c.root_uri, c.depth FROM appview.comments c WHERE c.parent_uri = d.uri OFFSET 0) c
                 WHERE (d.depth IS NOT NULL OR d.stored IS NOT NULL) AND d.n < 10000),
            w AS MATERIALIZED (SELECT DISTINCT ON (uri) uri, depth FROM d ORDER BY uri, n DESC)
            UPDATE appview.comments c SET depth = w.depth
              FROM w
             WHERE c.uri = w.uri AND c.uri = ANY(ARRAY(SELECT uri FROM w)) AND c.depth IS DISTINCT FROM w.depth
               AND c.uri = ANY($2::text[])""".formatted(UNDER_ITS_POST);

    /**
     * Every comment's depth, walked down from the posts through replies of the same thread: every comment has one
     * parent, so the walk is a forest and ends without a cap (comments not reached get NULL). Each step probes the parent
     * index (LATERAL), where a hash join would hash the whole table once per level.
     */
    public static final Counter.DerivedColumn ALL = new Counter.DerivedColumn("depth", "depths", """
            depths(k, v, r) AS (
                SELECT c.uri, 0, c.root_uri FROM appview.comments c WHERE %s
                UNION ALL
                SELECT c.uri, depths.v + 1, c.root_uri FROM depths
                 CROSS JOIN LATERAL (SELECT c.uri, c.root_uri FROM appview.comments c
                                      WHERE c.parent_uri = depths.k AND c.root_uri = depths.r OFFSET 0) c)"""
            .formatted(UNDER_ITS_POST));
}
