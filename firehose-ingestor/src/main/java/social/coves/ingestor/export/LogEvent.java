package social.coves.ingestor.export;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.CovesRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * One Kafka record of the log as the export sees it: where it sits, the envelope (typed, plus the fields newer than
 * this code by column name) and the commit's typed record when it parses, with the record's JSON text. A value that
 * is not a v1 envelope has no envelope but a {@code malformedReason}, and goes to {@code malformed_events} as it was.
 */
public record LogEvent(String topic, int partition, long offset, long kafkaTimestampMs, byte[] value, Map<String, JsonNode> unknownFields,
                       EventEnvelope envelope, CovesRecord record, String recordJson, String malformedReason) {

    /** The Kafka value as text (made only for the tables that keep it). */
    public String raw() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** The event's Jetstream {@code time_us} as a timestamp; the Kafka timestamp for a malformed value. */
    public OffsetDateTime eventTime() {
        return envelope != null ? atMicros(envelope.timeUs())
                : Instant.ofEpochMilli(kafkaTimestampMs).atOffset(ZoneOffset.UTC);
    }

    public EventEnvelope.Commit commit() {
        return envelope.commit();
    }

    public static OffsetDateTime atMicros(long micros) {
        return Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1000L)).atOffset(ZoneOffset.UTC);
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
