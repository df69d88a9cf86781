package social.coves.ingestor.jetstream;

/** Jetstream cursors below 1e15 are server seqs (new servers); at or above it they are unix-µs times. */
public final class CursorKinds {

    public static final long TIME_THRESHOLD = 1_000_000_000_000_000L;

    private CursorKinds() {
    }

    public static boolean isTime(long cursor) {
        return cursor >= TIME_THRESHOLD;
    }
}
