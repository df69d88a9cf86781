package social.coves.ingestor.export;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the Jackson hooks ({@link ExtraFields#COLLECTOR}, {@link RecordText}) learn about the Kafka value the current
 * thread is decoding: its bytes in; the fields newer than this code and the record's text out. A thread-local rather
 * than reader attributes: a reader per value (two attribute copies each) cost more than the hooks themselves.
 */
final class ValueInProgress {

    private static final ThreadLocal<ValueInProgress> CURRENT = new ThreadLocal<>();

    final byte[] value;
    final Map<String, JsonNode> unknownFields = new LinkedHashMap<>();
    String recordText;

    private ValueInProgress(byte[] value) {
        this.value = value;
    }

    static ValueInProgress start(byte[] value) {
        ValueInProgress current = new ValueInProgress(value);
        CURRENT.set(current);
        return current;
    }

    /** The value being decoded on this thread, or null outside {@link EnvelopeReader#read}. */
    static ValueInProgress current() {
        return CURRENT.get();
    }

    static void end() {
        CURRENT.remove();
    }
}
