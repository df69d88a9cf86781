package social.coves.api.readyourwrites;

/**
 * Read-your-writes in SQL: what a signed-in viewer wrote through this AppView ({@code coves_api.user_writes}, kept
 * while Jetstream may not have brought it back) laid over the index, by the fold's own rule — a record the viewer
 * deleted is gone even while the index still holds it, a record they created counts even before the index has it,
 * and between several the newest rkey wins. Only the viewer's own state is overlaid; counts stay the index's.
 */
public final class RecentWriteSql {

    /** How long a write is laid over the index: longer than Jetstream → index takes in normal operation. */
    public static final int WINDOW_SECONDS = 600;

    private static final String RECENT = " AND w.written_at > now() - make_interval(secs => " + WINDOW_SECONDS + ")";

    private RecentWriteSql() {
    }

    /**
     * Whether {@code viewer} (a bound parameter) has a live record of {@code collection} about {@code subject} (an SQL
     * expression): the index table {@code table} (columns {@code viewerColumn}, {@code subjectColumn}, {@code uri}),
     * minus what the viewer just deleted, plus what they just created.
     */
    public static String has(String collection, String viewer, String subject, String table, String viewerColumn,
                             String subjectColumn) {
        return "(EXISTS (SELECT 1 FROM coves_api.user_writes w WHERE w.did = " + viewer + " AND w.collection = '" + collection
                + "' AND w.subject = " + subject + " AND w.record IS NOT NULL" + RECENT + ")"
                + " OR EXISTS (SELECT 1 FROM " + table + " i WHERE i." + viewerColumn + " = " + viewer + " AND i." + subjectColumn
                + " = " + subject + " AND NOT EXISTS (SELECT 1 FROM coves_api.user_writes w WHERE w.did = " + viewer
                + " AND w.collection = '" + collection + "' AND w.uri = i.uri AND w.record IS NULL" + RECENT + ")))";
    }

    /**
     * The viewer's vote records ({@code $1} voter DID), the index's and their recent ones: {@code subject_uri,
     * direction, uri, rkey}; {@code onIndex} and {@code onWrites} narrow them ({@code v.} index votes, {@code w.} writes).
     */
    private static String viewerVoteRecords(String onIndex, String onWrites) {
        return """
                SELECT v.subject_uri, v.direction, v.uri, v.rkey
                  FROM appview.votes v
                 WHERE v.voter_did = $1%s
                   AND NOT EXISTS (SELECT 1 FROM coves_api.user_writes w WHERE w.did = $1
                                      AND w.collection = 'social.coves.feed.vote' AND w.subject = v.subject_uri
                                      AND w.uri = v.uri AND w.record IS NULL%s)
                UNION ALL
                SELECT w.subject COLLATE "C", w.record->>'direction', w.uri COLLATE "C", substring(w.uri from '[^/]+$') COLLATE "C"
                  FROM coves_api.user_writes w
                 WHERE w.did = $1 AND w.collection = 'social.coves.feed.vote'%s
                   AND w.record IS NOT NULL%s""".formatted(onIndex, RECENT, onWrites, RECENT);
    }

    /**
     * The viewer's effective vote per subject ({@code $1} voter DID, {@code $2} subject URIs): {@code subject_uri,
     * direction, uri}, the newest vote record (greatest rkey) among the index's and the viewer's recent ones.
     */
    public static final String VIEWER_VOTES = "SELECT DISTINCT ON (subject_uri) subject_uri, direction, uri FROM ("
            + viewerVoteRecords(" AND v.subject_uri = ANY($2)", " AND w.subject = ANY($2)")
            + "\n) votes ORDER BY subject_uri, rkey DESC";

    /**
     * Every effective vote of the viewer ({@code $1} voter DID) by the same rule, from at most {@code $2} vote records:
     * {@code subject_uri, direction, uri, records} — {@code records} (the records read) equal to {@code $2} means the
     * viewer may have more, and the answer is not all of their votes.
     */
    public static final String ALL_VIEWER_VOTES = "SELECT DISTINCT ON (subject_uri) subject_uri, direction, uri, count(*) OVER () FROM ("
            + viewerVoteRecords("", "") + "\n LIMIT $2) votes ORDER BY subject_uri, rkey DESC";
}
