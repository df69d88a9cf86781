package social.coves.ingestor.jetstream;

/**
 * Kafka headers with which the jetstream role remembers where it is. Besides the event's own cursor
 * ({@code coves-cursor}), every record carries the acked prefix at the time it was sent: all events up to
 * {@link #ACKED_CURSOR} were already durable, so resuming from it after a crash is gapless without guessing.
 */
public final class CursorHeaders {

    /** Cursor of the last event of the acknowledged prefix when this record was sent. */
    public static final String ACKED_CURSOR = "coves-acked-cursor";
    /** Largest {@code time_us} of that prefix: the time cursor when seqs cannot be used. */
    public static final String ACKED_TIME_US = "coves-acked-time-us";
    /** {@code host:port} of the Jetstream server whose seq space the cursors belong to. */
    public static final String SOURCE = "coves-cursor-source";

    private CursorHeaders() {
    }
}
