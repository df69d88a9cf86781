package social.coves.ingestor.export;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.CovesRecord;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One Kafka record of the log as the export sees it: where it sits, the envelope (typed, and as a JSON tree for fields
 * newer than this code) and the commit's typed record when it parses. A value that is not a v1 envelope has no
 * envelope but a {@code malformedReason}, and goes to the {@code malformed_events} table with its raw text.
 */
public record LogEvent(String topic, int partition, long offset, long kafkaTimestampMs, String raw, JsonNode tree,
                       EventEnvelope envelope, CovesRecord record, String malformedReason) {

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
