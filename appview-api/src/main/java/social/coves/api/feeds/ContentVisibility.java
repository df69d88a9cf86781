package social.coves.api.feeds;

/**
 * A subscription's {@code contentVisibility} (1 = only the best content … 5 = everything) as the lowest post score
 * the timeline shows from that community: 5 → all, 4 → score ≥ -5, 3 (default) → score ≥ 0 (hides net-downvoted
 * posts), 2 → score ≥ 3, 1 → score ≥ 10.
 */
final class ContentVisibility {

    /** SQL over a subscription {@code s}, compared with the post's score. */
    static final String MIN_SCORE_SQL = "(CASE s.content_visibility WHEN 5 THEN -9223372036854775807 WHEN 4 THEN -5 "
            + "WHEN 3 THEN 0 WHEN 2 THEN 3 ELSE 10 END)";

    private ContentVisibility() {
    }
}
