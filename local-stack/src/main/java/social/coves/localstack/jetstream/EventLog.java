package social.coves.localstack.jetstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ordered, in-memory event log of the Jetstream stand-in. Every appended event gets the next 1-based
 * sequence number, which the server sends as {@code cursor} (the resume point of new Jetstream servers).
 * {@link #reset()} wipes the log so seqs restart at 1, as on a server whose data directory was lost.
 */
public final class EventLog {

    /** A stored event: its sequence number, display time and the JSON the server sends. */
    public record Entry(long seq, long timeUs, String did, String kind, String collection, ObjectNode json, Frames frames) {
    }

    /** The encoded forms of one event, computed once and shared by every subscriber (as the real server does). */
    public static final class Frames {
        private final ObjectNode json;
        private volatile String withCursor;
        private volatile String legacy;
        private volatile byte[] compressedWithCursor;
        private volatile byte[] compressedLegacy;

        Frames(ObjectNode json) {
            this.json = json;
        }

        /** The event JSON; legacy servers send no {@code cursor} field. */
        public String text(boolean legacyMode) {
            if (legacyMode) {
                if (legacy == null) {
                    ObjectNode copy = json.deepCopy();
                    copy.remove("cursor");
                    legacy = copy.toString();
                }
                return legacy;
            }
            if (withCursor == null) {
                withCursor = json.toString();
            }
            return withCursor;
        }

        public byte[] compressed(boolean legacyMode, ZstdFrames zstd) {
            if (legacyMode) {
                if (compressedLegacy == null) {
                    compressedLegacy = zstd.compress(text(true).getBytes(StandardCharsets.UTF_8));
                }
                return compressedLegacy;
            }
            if (compressedWithCursor == null) {
                compressedWithCursor = zstd.compress(text(false).getBytes(StandardCharsets.UTF_8));
            }
            return compressedWithCursor;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<Consumer<Entry>> listeners = new ArrayList<>();
    private final boolean uniqueTimes;
    private long lastTimeUs;

    public EventLog() {
        this(false);
    }

    /** @param uniqueTimes make {@code time_us} strictly increasing, as the legacy server's clock did */
    public EventLog(boolean uniqueTimes) {
        this.uniqueTimes = uniqueTimes;
    }

    /** Appends an event (Jetstream JSON with {@code did}, {@code kind}, {@code time_us}); sets its {@code cursor}. */
    public synchronized Entry append(ObjectNode event) {
        long seq = entries.size() + 1L;
        event.put("cursor", seq);
        long timeUs = event.path("time_us").asLong(System.currentTimeMillis() * 1000);
        if (uniqueTimes && timeUs <= lastTimeUs) {
            timeUs = lastTimeUs + 1;
        }
        lastTimeUs = Math.max(lastTimeUs, timeUs);
        event.put("time_us", timeUs);
        String kind = event.path("kind").asText();
        String collection = event.path("commit").path("collection").asText(null);
        Entry entry = new Entry(seq, timeUs, event.path("did").asText(), kind, collection, event, new Frames(event));
        entries.add(entry);
        for (Consumer<Entry> listener : listeners) {
            listener.accept(entry);
        }
        return entry;
    }

    /** Forgets every event: the next append gets seq 1 again (times keep increasing). */
    public synchronized void reset() {
        entries.clear();
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized Entry get(int index) {
        return entries.get(index);
    }

    /** A copy of the entries, for assertions. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /**
     * Index of the first event to replay for a v1 {@code cursor}: below 1e15 it is a sequence number (inclusive),
     * at or above it a unix-microseconds time (first event witnessed at or after it). {@code null} = live tip.
     * A seq beyond the log silently means the live tip, as on the real server.
     */
    public synchronized int startIndex(Long cursor) {
        if (cursor == null) {
            return entries.size();
        }
        if (cursor < 1_000_000_000_000_000L) {
            return (int) Math.min(Math.max(cursor - 1, 0), entries.size());
        }
        return timeIndex(cursor);
    }

    /** Legacy servers only know time cursors: a small value is a time in 1970, i.e. the oldest event. */
    public synchronized int legacyStartIndex(Long cursor) {
        return cursor == null ? entries.size() : timeIndex(cursor);
    }

    private int timeIndex(long timeUs) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).timeUs() >= timeUs) {
                return i;
            }
        }
        return entries.size();
    }

    synchronized void addListener(Consumer<Entry> listener) {
        listeners.add(listener);
    }

    synchronized void removeListener(Consumer<Entry> listener) {
        listeners.remove(listener);
    }
}
