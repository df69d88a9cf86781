package social.coves.localstack.jetstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ordered, in-memory event log of the Jetstream stand-in. Every appended event gets the next 1-based
 * sequence number, which the server sends as {@code cursor} (the resume point of new Jetstream servers).
 */
public final class EventLog {

    /** A stored event: its sequence number, display time and the JSON the server sends. */
    public record Entry(long seq, long timeUs, String did, String kind, String collection, ObjectNode json) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<Consumer<Entry>> listeners = new ArrayList<>();

    /** Appends an event (Jetstream JSON with {@code did}, {@code kind}, {@code time_us}); sets its {@code cursor}. */
    public synchronized Entry append(ObjectNode event) {
        long seq = entries.size() + 1L;
        event.put("cursor", seq);
        long timeUs = event.path("time_us").asLong(System.currentTimeMillis() * 1000);
        event.put("time_us", timeUs);
        String kind = event.path("kind").asText();
        String collection = event.path("commit").path("collection").asText(null);
        Entry entry = new Entry(seq, timeUs, event.path("did").asText(), kind, collection, event);
        entries.add(entry);
        for (Consumer<Entry> listener : listeners) {
            listener.accept(entry);
        }
        return entry;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized Entry get(int index) {
        return entries.get(index);
    }

    /**
     * Index of the first event to replay for a v1 {@code cursor}: below 1e15 it is a sequence number (inclusive),
     * at or above it a unix-microseconds time (first event witnessed at or after it). {@code null} = live tip.
     */
    public synchronized int startIndex(Long cursor) {
        if (cursor == null) {
            return entries.size();
        }
        if (cursor < 1_000_000_000_000_000L) {
            return (int) Math.min(Math.max(cursor - 1, 0), entries.size());
        }
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).timeUs() >= cursor) {
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
