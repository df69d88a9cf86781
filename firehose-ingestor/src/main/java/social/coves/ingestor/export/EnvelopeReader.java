package social.coves.ingestor.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.CovesRecord;

import java.util.Map;

/**
 * Kafka values as log events, in one streaming pass with the envelope codec's own mapper: fields newer than this code
 * are collected on the way ({@link ExtraFields}); anything that is not a v1 envelope becomes a malformed event with
 * the reason, so the run never stops on a bad value.
 */
final class EnvelopeReader {

    private static final ObjectReader READER = EnvelopeCodec.mapper().copy()
            .registerModule(RecordText.module().addDeserializer(java.time.Instant.class, new UtcInstants()))
            .readerFor(EventEnvelope.class).withHandler(ExtraFields.COLLECTOR);

    private EnvelopeReader() {
    }

    static LogEvent read(ConsumerRecord<String, byte[]> record) {
        byte[] raw = record.value();
        if (raw == null) {
            return malformed(record, "empty value (tombstone)");
        }
        ValueInProgress decoding = ValueInProgress.start(raw);
        EventEnvelope envelope;
        try {
            envelope = READER.readValue(raw);
        } catch (Exception e) {
            return malformed(record, reason(raw, e));
        } finally {
            ValueInProgress.end();
        }
        Map<String, JsonNode> unknown = decoding.unknownFields;
        if (envelope == null || envelope.v() != EventEnvelope.CURRENT_VERSION) {
            return malformed(record, "unsupported envelope version " + (envelope == null ? "null" : envelope.v()));
        }
        CovesRecord typed = null;
        if (envelope.commit() != null && envelope.commit().record() != null) {
            try {
                typed = CovesRecord.parse(envelope.commit().collection(), envelope.commit().record());
            } catch (RuntimeException e) {
                typed = null;   // the typed columns stay NULL; record_json keeps the record as it was
            }
        }
        String recordJson = envelope.commit() == null || envelope.commit().record() == null ? null
                : decoding.recordText != null ? decoding.recordText : envelope.commit().record().toString();
        return new LogEvent(record.topic(), record.partition(), record.offset(), record.timestamp(), raw, unknown, envelope,
                typed, recordJson, null);
    }

    /** Why a value is not an envelope: another version is named as such (a v2 envelope is not a broken v1 one). */
    private static String reason(byte[] raw, Exception e) {
        try {
            JsonNode tree = EnvelopeCodec.mapper().readTree(raw);
            if (tree != null && tree.isObject() && tree.path("v").asInt(-1) != EventEnvelope.CURRENT_VERSION) {
                return "unsupported envelope version " + tree.path("v");
            }
        } catch (Exception notJson) {
            // the first message says it
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "not a valid envelope: " + message.lines().findFirst().orElse("");
    }

    static LogEvent malformed(ConsumerRecord<String, byte[]> record, String reason) {
        return new LogEvent(record.topic(), record.partition(), record.offset(), record.timestamp(), record.value(), Map.of(),
                null, null, null, reason);
    }
}
