package social.coves.lexicon.envelope;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming writer behind {@link EnvelopeCodec#encode} writes exactly what the envelope mapper would. */
class EnvelopeWriterTests {

    @Test
    void writesTheSameBytesAsTheMapperForEveryShape() throws Exception {
        List<EventEnvelope> envelopes = new ArrayList<>(EnvelopeSamples.all());
        ObjectNode odd = JsonNodeFactory.instance.objectNode()
                .put("$type", "social.coves.community.comment")
                .put("text", "quote \" backslash \\ tab \t newline \n control \u0001 emoji 👩‍👩‍👧 nul-ish \u0000")
                .put("big", new BigDecimal("12345678901234567890.5"))
                .put("neg", -42)
                .put("float", 1.5e-7)
                .putNull("nothing")
                .put("yes", true);
        odd.putArray("nested").add(1).addObject().putArray("deeper").add("x");
        odd.putObject("reply").putObject("root").put("uri", "at://did:plc:x/social.coves.community.post/3k");
        for (Instant received : List.of(Instant.parse("2026-11-21T10:00:00Z"), Instant.parse("2026-11-21T10:00:00.100Z"),
                Instant.parse("2026-11-21T10:00:00.123456Z"), Instant.parse("2026-11-21T10:00:00.123456789Z"),
                Instant.ofEpochSecond(0), Instant.parse("+12026-01-01T00:00:00Z"))) {
            envelopes.add(new EventEnvelope(1, "commit", "did:plc:odd", Long.MAX_VALUE, Long.MIN_VALUE, "h\u00e9st:1", received,
                    new EventEnvelope.Commit("create", "social.coves.community.comment", "3k", "3l", "bafy", odd), null, null));
        }

        for (EventEnvelope envelope : envelopes) {
            byte[] expected = EnvelopeCodec.mapper().writeValueAsBytes(envelope);
            assertThat(new String(EnvelopeCodec.encode(envelope), "UTF-8")).isEqualTo(new String(expected, "UTF-8"));
        }
        for (EventEnvelope envelope : EnvelopeSamples.all()) {
            assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(envelope))).isEqualTo(envelope);
        }
    }
}
