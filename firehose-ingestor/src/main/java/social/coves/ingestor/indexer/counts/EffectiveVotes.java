package social.coves.ingestor.indexer.counts;

/**
 * The effective-vote rule, written once: of one voter's vote records on one subject, the one with the greatest rkey
 * counts (an older duplicate is ignored, deleting the newest brings the previous one back). Every reader of effective
 * votes takes its SQL from here: the batch fold (per voter and subject), the recount of new parents (per subject) and
 * the reconciliation (all subjects). Each form walks {@code votes_subject} or {@code votes_voter_subject} in index order.
 */
public final class EffectiveVotes {

    private EffectiveVotes() {
    }

    /** Rows (subject_uri, voter_did, direction): the effective vote of each (subject, voter) among the votes {@code where}. */
    public static String of(String where) {
        return """
                SELECT DISTINCT ON (v.subject_uri, v.voter_did) v.subject_uri, v.voter_did, v.direction FROM appview.votes v
                 WHERE %s ORDER BY v.subject_uri, v.voter_did, v.rkey DESC""".formatted(where);
    }

    /**
     * The effective direction of every (voter, subject) pair named by the votes $1 (vote URIs) and by the pairs
     * ($2 voter, $3 subject): rows (voter, subject, direction), pairs without a vote left out.
     */
    public static final String OF_PAIRS = """
            WITH pairs AS (SELECT voter_did AS voter, subject_uri AS subject FROM appview.votes WHERE uri = ANY($1::text[])
                           UNION SELECT * FROM unnest($2::text[], $3::text[]))
            SELECT p.voter, p.subject, e.direction
              FROM pairs p
             CROSS JOIN LATERAL (%s) e""".formatted(of("v.voter_did = p.voter AND v.subject_uri = p.subject"));

    /** Up and down counts of the subject {@code subject} (an SQL expression): one row (up, down). */
    public static String countsOf(String subject) {
        return """
                (SELECT count(*) FILTER (WHERE e.direction = 'up') AS up, count(*) FILTER (WHERE e.direction = 'down') AS down
                   FROM (%s) e)""".formatted(of("v.subject_uri = " + subject));
    }

    /**
     * A temporary table {@code effective_votes(subject_uri, up, down)} of this transaction: the counts of every subject
     * whose URI contains {@code collectionPart} (all subjects when null).
     */
    public static String temporaryTable(String collectionPart) {
        String where = collectionPart == null ? "true" : "strpos(v.subject_uri, '" + collectionPart + "') > 0";
        return """
                CREATE TEMPORARY TABLE effective_votes ON COMMIT DROP AS
                SELECT subject_uri, count(*) FILTER (WHERE direction = 'up') AS up, count(*) FILTER (WHERE direction = 'down') AS down
                  FROM (%s) e GROUP BY subject_uri""".formatted(of(where));
    }
}
