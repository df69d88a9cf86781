package social.coves.lexicon.envelope;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeCodecTests {

    @Test
    void commitRoundTripsWithTheExactJsonShape() {
        ObjectNode record = JsonNodeFactory.instance.objectNode().put("$type", "social.coves.community.profile").put("name", "gardening");
        var envelope = new EventEnvelope(1, "commit", "did:plc:abc", 1_700_000_000_000_000L, 42L, "localhost",
                Instant.parse("2026-11-21T10:00:00Z"),
                new EventEnvelope.Commit("create", "social.coves.community.profile", "self", "3l2uygzaf5m2b", "bafyreia", record),
                null, null);

        String json = EnvelopeCodec.encodeToString(envelope);

        assertThat(json).isEqualTo("{\"v\":1,\"kind\":\"commit\",\"did\":\"did:plc:abc\",\"timeUs\":1700000000000000,\"seq\":42,"
                + "\"source\":\"localhost\",\"receivedAt\":\"2026-11-21T10:00:00Z\",\"commit\":{\"operation\":\"create\","
                + "\"collection\":\"social.coves.community.profile\",\"rkey\":\"self\",\"rev\":\"3l2uygzaf5m2b\",\"cid\":\"bafyreia\","
                + "\"record\":{\"$type\":\"social.coves.community.profile\",\"name\":\"gardening\"}}}");
        assertThat(EnvelopeCodec.decode(json)).isEqualTo(envelope);
        assertThat(envelope.commit().uri(envelope.did())).isEqualTo("at://did:plc:abc/social.coves.community.profile/self");
    }

    @Test
    void accountEventKeepsStatusAndOmitsAbsentFields() {
        var envelope = new EventEnvelope(1, "account", "did:plc:abc", 5L, null, null, null, null, null,
                new EventEnvelope.Account(false, "takendown", 9L, "2026-01-01T00:00:00Z"));

        String json = EnvelopeCodec.encodeToString(envelope);

        assertThat(json).isEqualTo("{\"v\":1,\"kind\":\"account\",\"did\":\"did:plc:abc\",\"timeUs\":5,"
                + "\"account\":{\"active\":false,\"status\":\"takendown\",\"seq\":9,\"time\":\"2026-01-01T00:00:00Z\"}}");
        assertThat(EnvelopeCodec.decode(json)).isEqualTo(envelope);
    }

    @Test
    void rejectsUnknownVersionsAndInconsistentPayloads() {
        assertThatThrownBy(() -> EnvelopeCodec.decode("{\"v\":2,\"kind\":\"identity\",\"did\":\"did:plc:a\",\"timeUs\":1,\"identity\":{}}"))
                .isInstanceOf(EnvelopeCodec.MalformedEnvelopeException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> EnvelopeCodec.decode("{\"v\":1,\"kind\":\"commit\",\"did\":\"did:plc:a\",\"timeUs\":1,\"identity\":{}}"))
                .isInstanceOf(EnvelopeCodec.MalformedEnvelopeException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> EnvelopeCodec.decode("not json"))
                .isInstanceOf(EnvelopeCodec.MalformedEnvelopeException.class);
    }
}
