package social.coves.lexicon.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Envelope v1 stays readable: fields added later (at the top level or inside a payload) are ignored, optional fields
 * may be missing, and the JSON written today is frozen here as literals.
 */
class EnvelopeCompatibilityTests {

    /** A commit exactly as written today. */
    private static final String COMMIT_TODAY = "{\"v\":1,\"kind\":\"commit\",\"did\":\"did:plc:abc\",\"timeUs\":1700000000000000,"
            + "\"seq\":42,\"source\":\"localhost\",\"receivedAt\":\"2026-11-21T10:00:00.500Z\",\"commit\":{\"operation\":\"create\","
            + "\"collection\":\"social.coves.feed.vote\",\"rkey\":\"3kznmn7xqxl22\",\"rev\":\"3kznmn7xqxl2a\",\"cid\":\"bafyreia\","
            + "\"record\":{\"$type\":\"social.coves.feed.vote\",\"direction\":\"up\"}}}";

    @Test
    void todaysEnvelopesDecodeAndReEncodeByteForByte() {
        String identity = "{\"v\":1,\"kind\":\"identity\",\"did\":\"did:plc:abc\",\"timeUs\":7,\"identity\":{\"handle\":\"alice.test\","
                + "\"seq\":3,\"time\":\"2026-01-01T00:00:00Z\"}}";
        String account = "{\"v\":1,\"kind\":\"account\",\"did\":\"did:plc:abc\",\"timeUs\":8,\"seq\":9,"
                + "\"account\":{\"active\":false,\"status\":\"deactivated\"}}";
        for (String json : new String[] {COMMIT_TODAY, identity, account}) {
            assertThat(EnvelopeCodec.encodeToString(EnvelopeCodec.decode(json))).isEqualTo(json);
        }
        EventEnvelope commit = EnvelopeCodec.decode(COMMIT_TODAY);
        assertThat(commit.receivedAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00.500Z"));
        assertThat(commit.commit().record().path("direction").asText()).isEqualTo("up");
    }

    @Test
    void unknownFieldsAtTheTopLevelAndInsidePayloadsAreIgnored() {
        String withAdditions = "{\"v\":1,\"kind\":\"commit\",\"did\":\"did:plc:abc\",\"timeUs\":1700000000000000,"
                + "\"traceId\":\"4bf92f3577b34da6\",\"hops\":[\"ingestor\",{\"name\":\"mirror\"}],\"labels\":{\"spam\":0.1},"
                + "\"seq\":42,\"source\":\"localhost\",\"receivedAt\":\"2026-11-21T10:00:00.500Z\",\"commit\":{\"operation\":\"create\","
                + "\"collection\":\"social.coves.feed.vote\",\"rkey\":\"3kznmn7xqxl22\",\"rev\":\"3kznmn7xqxl2a\",\"cid\":\"bafyreia\","
                + "\"prevCid\":\"bafyreib\",\"blocks\":{\"count\":2},"
                + "\"record\":{\"$type\":\"social.coves.feed.vote\",\"direction\":\"up\"}},\"zz\":null}";

        assertThat(EnvelopeCodec.decode(withAdditions)).isEqualTo(EnvelopeCodec.decode(COMMIT_TODAY));

        EventEnvelope identity = EnvelopeCodec.decode("{\"v\":1,\"kind\":\"identity\",\"did\":\"did:plc:abc\",\"timeUs\":7,"
                + "\"identity\":{\"handle\":\"alice.test\",\"didDoc\":{\"id\":\"did:plc:abc\"},\"seq\":3},\"region\":\"eu\"}");
        assertThat(identity.identity()).isEqualTo(new EventEnvelope.Identity("alice.test", 3L, null));

        EventEnvelope account = EnvelopeCodec.decode("{\"v\":1,\"kind\":\"account\",\"did\":\"did:plc:abc\",\"timeUs\":8,"
                + "\"account\":{\"active\":false,\"status\":\"suspended\",\"until\":\"2027-01-01T00:00:00Z\"}}");
        assertThat(account.account()).isEqualTo(new EventEnvelope.Account(false, "suspended", null, null));
    }

    @Test
    void unknownFieldsInsideTheRecordArePreservedNotDropped() {
        EventEnvelope envelope = EnvelopeCodec.decode(COMMIT_TODAY.replace("\"direction\":\"up\"",
                "\"direction\":\"up\",\"futureField\":{\"nested\":[1,2]}"));
        JsonNode record = envelope.commit().record();
        assertThat(record.path("futureField").path("nested").get(1).asInt()).isEqualTo(2);
    }

    @Test
    void envelopesWithoutOptionalFieldsDecode() {
        EventEnvelope delete = EnvelopeCodec.decode("{\"v\":1,\"kind\":\"commit\",\"did\":\"did:plc:abc\",\"timeUs\":1,"
                + "\"commit\":{\"operation\":\"delete\",\"collection\":\"social.coves.feed.vote\",\"rkey\":\"3k\",\"rev\":\"3l\"}}");
        assertThat(delete).isEqualTo(new EventEnvelope(1, "commit", "did:plc:abc", 1L, null, null, null,
                new EventEnvelope.Commit("delete", "social.coves.feed.vote", "3k", "3l", null, null), null, null));
        assertThat(delete.commit().isDelete()).isTrue();

        EventEnvelope identity = EnvelopeCodec.decode("{\"v\":1,\"kind\":\"identity\",\"did\":\"did:plc:abc\",\"timeUs\":2,\"identity\":{}}");
        assertThat(identity.identity()).isEqualTo(new EventEnvelope.Identity(null, null, null));
        assertThat(identity.seq()).isNull();
        assertThat(identity.source()).isNull();
        assertThat(identity.receivedAt()).isNull();

        EventEnvelope account = EnvelopeCodec.decode("{\"v\":1,\"kind\":\"account\",\"did\":\"did:plc:abc\",\"timeUs\":3,"
                + "\"account\":{\"active\":true}}");
        assertThat(account.account()).isEqualTo(new EventEnvelope.Account(true, null, null, null));
    }

    @Test
    void everySampleRoundTrips() {
        for (EventEnvelope envelope : EnvelopeSamples.all()) {
            assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(envelope))).isEqualTo(envelope);
        }
    }
}
