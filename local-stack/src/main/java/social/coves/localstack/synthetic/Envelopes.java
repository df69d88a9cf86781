package social.coves.localstack.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.envelope.Topics;

import java.time.Instant;

/**
 * Jetstream frames as the Kafka envelopes the ingestor would write for them, for tools that feed the indexer directly
 * (the replay benchmark). Frames are trusted to be well formed (the generator's are); the ingestor's normaliser stays
 * the only place that judges frames from the network.
 */
public final class Envelopes {

    private Envelopes() {
    }

    /** The envelope of a generated frame; {@code seq} is the Jetstream cursor (may be {@code null}). */
    public static EventEnvelope of(ObjectNode frame, Long seq, String source, Instant receivedAt) {
        String did = frame.get("did").asText();
        long timeUs = frame.get("time_us").asLong();
        String kind = frame.get("kind").asText();
        return switch (kind) {
            case EventEnvelope.KIND_COMMIT -> {
                JsonNode c = frame.get("commit");
                JsonNode record = c.get("record");
                yield new EventEnvelope(EventEnvelope.CURRENT_VERSION, kind, did, timeUs, seq, source, receivedAt,
                        new EventEnvelope.Commit(c.get("operation").asText(), c.get("collection").asText(), c.get("rkey").asText(),
                                c.get("rev").asText(), c.path("cid").asText(null), record), null, null);
            }
            case EventEnvelope.KIND_IDENTITY -> {
                JsonNode i = frame.get("identity");
                yield new EventEnvelope(EventEnvelope.CURRENT_VERSION, kind, did, timeUs, seq, source, receivedAt, null,
                        new EventEnvelope.Identity(i.path("handle").asText(null), i.path("seq").asLong(), i.path("time").asText(null)), null);
            }
            case EventEnvelope.KIND_ACCOUNT -> {
                JsonNode a = frame.get("account");
                yield new EventEnvelope(EventEnvelope.CURRENT_VERSION, kind, did, timeUs, seq, source, receivedAt, null, null,
                        new EventEnvelope.Account(a.get("active").asBoolean(), a.path("status").asText(null), a.path("seq").asLong(),
                                a.path("time").asText(null)));
            }
            default -> throw new IllegalArgumentException("not a Jetstream event kind: " + kind);
        };
    }

    /** The topic the ingestor writes an envelope of this kind to. */
    public static String topicOf(EventEnvelope envelope) {
        return envelope.commit() != null ? Topics.REPO_EVENTS : Topics.IDENTITY_EVENTS;
    }
}
