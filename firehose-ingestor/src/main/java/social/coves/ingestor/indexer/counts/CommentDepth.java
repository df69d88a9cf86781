package social.coves.ingestor.indexer.counts;

/**
 * A comment's depth, defined once: 0 directly under a post, its parent's depth + 1 below a comment, NULL while an
 * ancestor is unknown (or the reply refs form a cycle). The same rule in its three forms: {@link #below} for rows the
 * batch fold writes (their parents folded in the batch or stored), {@link #OF_SEEDS} for what that cannot see (stored
 * descendants, parents committed meanwhile), {@link #ALL} for the reconciliation and the rebuild.
 */
public final class CommentDepth {

    private CommentDepth() {
    }

    /** The depth of a comment whose parent is {@code parentUri}, of depth {@code parentDepth} when it is a comment. */
    public static Integer below(String parentUri, Integer parentDepth) {
        return switch (Parent.ofUri(parentUri)) {
            case POST -> 0;
            case COMMENT -> parentDepth == null ? null : parentDepth + 1;
            case null, default -> null;
        };
    }

    /** The comment {@code c} is directly under a post. */
    private static final String UNDER_A_POST = "strpos(c.parent_uri, '/social.coves.community.post/') > 0";

    /** {@link #below} in SQL, for the comment {@code c} and the depth {@code %s} of its parent. */
    private static final String BELOW = "CASE WHEN " + UNDER_A_POST + " THEN 0 ELSE %s + 1 END";

    /**
     * Depth of the comments $1 (placed in a thread by the batch) and of all their stored descendants, written only on
     * the rows $2 (the comments the batch has locked: {@code BatchLockOrder}). The walk starts at the comments whose
     * parent is not in $1 (the others are reached from their parent); a comment reached both as a start row and through
     * its parent takes the depth through its parent (the start row read its parent's depth from before this walk, which
     * the walk may just have filled). Cycles of forged reply refs are cut by the depth cap.
     */
    public static final String OF_SEEDS = """
            WITH RECURSIVE s AS (SELECT DISTINCT unnest($1::text[]) COLLATE "C" AS uri),
            d(uri, depth, n) AS (
                SELECT c.uri, %s, 0
                  FROM appview.comments c
                  LEFT JOIN LATERAL (SELECT p.depth FROM appview.comments p WHERE p.uri = c.parent_uri LIMIT 1) p ON true
                 WHERE c.uri = ANY($1::text[])
                   AND (c.parent_uri IS NULL OR NOT EXISTS (SELECT 1 FROM s s2 WHERE s2.uri = c.parent_uri))
                UNION ALL
                SELECT c.uri, d.depth + 1, d.n + 1 FROM d
                 CROSS JOIN LATERAL (SELECT c.uri FROM appview.comments c WHERE c.parent_uri = d.uri OFFSET 0) c
                 WHERE d.depth IS NOT NULL AND d.n < 10000),
            w AS MATERIALIZED (SELECT DISTINCT ON (uri) uri, depth FROM d ORDER BY uri, n = 0, n)
            UPDATE appview.comments c SET depth = w.depth
              FROM w
             WHERE c.uri = w.uri AND c.uri = ANY(ARRAY(SELECT uri FROM w)) AND c.depth IS DISTINCT FROM w.depth
               AND c.uri = ANY($2::text[])""".formatted(BELOW.formatted("p.depth"));

    /**
     * Every comment's depth, walked down from the posts: every comment has one parent, so the walk is a forest and ends
     * without a cap (comments in a cycle are not reached: NULL). Each step probes the parent index (LATERAL), where a
     * hash join would hash the whole table once per level.
     */
    public static final Counter.DerivedColumn ALL = new Counter.DerivedColumn("depth", "depths", """
            depths(k, v) AS (
                SELECT c.uri, 0 FROM appview.comments c WHERE %s
                UNION ALL
                SELECT c.uri, depths.v + 1 FROM depths
                 CROSS JOIN LATERAL (SELECT c.uri FROM appview.comments c WHERE c.parent_uri = depths.k OFFSET 0) c)"""
            .formatted(UNDER_A_POST));
}
