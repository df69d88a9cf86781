package social.coves.ingestor.indexer.counts;

import social.coves.lexicon.CovesCollections;

/** A row that keeps counters of its children: a post, a comment or a community. */
public enum Parent {
    POST("appview.posts", "uri"),
    COMMENT("appview.comments", "uri"),
    COMMUNITY("appview.communities", "did");

    /**
     * The advisory lock of a parent's key (lock (5) of {@code BatchLockOrder}): a parent takes it before it is inserted
     * and recounted, a child batch takes it for a parent that has no row yet, so either the parent's recount sees the
     * child or the child's counter update sees the parent.
     */
    public static final String KEY_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

    public final String table;
    public final String key;

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
