package social.coves.lexicon.envelope;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JSON form of {@link EventEnvelope} on Kafka. Readers accept unknown fields so the envelope can grow. */
public final class EnvelopeCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final EnvelopeWriter WRITER = new EnvelopeWriter(MAPPER);

    private EnvelopeCodec() {
    }

    public static byte[] encode(EventEnvelope envelope) {
        return WRITER.write(envelope);
    }

    public static String encodeToString(EventEnvelope envelope) {
        return new String(encode(envelope), StandardCharsets.UTF_8);
    }

    /** @throws MalformedEnvelopeException when the bytes are not a version-1 envelope */
    public static EventEnvelope decode(byte[] json) {
        try {
            EventEnvelope envelope = MAPPER.readValue(json, EventEnvelope.class);
            if (envelope.v() != EventEnvelope.CURRENT_VERSION) {
                throw new MalformedEnvelopeException("unsupported envelope version " + envelope.v());
            }
            return envelope;
        } catch (MalformedEnvelopeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MalformedEnvelopeException("not a valid envelope: " + e.getMessage(), e);
        }
    }

    public static EventEnvelope decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The mapper used for envelopes, shared so records nested inside keep the same JSON rules. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static final class MalformedEnvelopeException extends RuntimeException {
        public MalformedEnvelopeException(String message) {
            super(message);
        }

        public MalformedEnvelopeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

}
