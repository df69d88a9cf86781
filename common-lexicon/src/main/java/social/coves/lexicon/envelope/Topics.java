package social.coves.lexicon.envelope;

/** Kafka topic names of the Coves AppView (see ARCHITECTURE.md, "Names that other tools rely on"). */
public final class Topics {
    /** Commits of {@code social.coves.*} records, key = repo DID, value = {@link EventEnvelope} JSON. */
    public static final String REPO_EVENTS = "coves.repo-events.v1";
    /** {@code #identity} and {@code #account} events, key = DID, value = {@link EventEnvelope} JSON. */
    public static final String IDENTITY_EVENTS = "coves.identity-events.v1";
    /** Frames that could not be parsed or failed validation: the raw bytes, with {@link #HEADER_REJECT_REASON}. */
    public static final String INGEST_REJECTS = "coves.ingest-rejects.v1";

    /** Header on every record the ingestor writes: the Jetstream cursor (seq, or time_us on old servers). */
    public static final String HEADER_CURSOR = "coves-cursor";
    /** Header on rejects: why the frame was rejected. */
    public static final String HEADER_REJECT_REASON = "coves-reject-reason";

    private Topics() {
    }
}
