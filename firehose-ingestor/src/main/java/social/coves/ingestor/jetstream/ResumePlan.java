package social.coves.ingestor.jetstream;

/**
 * How one connection resumes and what its first event must look like.
 *
 * <ul>
 *   <li>{@link Kind#SEQ}: {@code cursor} is a seq of this host; the server must re-deliver the anchor (the last
 *       durable event, which passed the same filter before), so the first event's seq lies in {@code [cursor, anchor]}.
 *       Anything else means a reset server (seq went backwards), a clamped too-old cursor or a "future" cursor that
 *       silently became the live tip: alarm and fall back to a time cursor.</li>
 *   <li>{@link Kind#LEGACY_TIME}: a legacy server with unique, monotonic {@code time_us} cursors; the anchor must
 *       come back too, else the server clamped (too old): alarm, nothing better to resume from.</li>
 *   <li>{@link Kind#TIME_FALLBACK}: a time cursor against a new seq space (another host, reset); checked by nobody,
 *       the overlap margin is the safety.</li>
 *   <li>{@link Kind#FIRST_START}: the configured initial cursor or the live tip.</li>
 * </ul>
 */
public record ResumePlan(Kind kind, Long cursor, long anchor) {

    public enum Kind { SEQ, LEGACY_TIME, TIME_FALLBACK, FIRST_START }

    /** What to do about the first event after connecting. */
    public enum Verdict { OK, FALL_BACK_TO_TIME, ALARM_AND_CONTINUE }

    /** The alarm reason for a bad first event, or {@code null} when it is what we expected. */
    public String problem(long firstCursor, boolean firstHasSeq) {
        return switch (kind) {
            case SEQ -> !firstHasSeq ? "server_without_seq"
                    : firstCursor < cursor ? "seq_backwards"
                    : firstCursor > anchor ? "anchor_missing"
                    : null;
            case LEGACY_TIME -> firstHasSeq ? null : firstCursor > anchor ? "time_cursor_clamped" : null;
            case TIME_FALLBACK, FIRST_START -> null;
        };
    }

    public Verdict verdict(String problem) {
        if (problem == null) {
            return Verdict.OK;
        }
        return kind == Kind.SEQ ? Verdict.FALL_BACK_TO_TIME : Verdict.ALARM_AND_CONTINUE;
    }
}
