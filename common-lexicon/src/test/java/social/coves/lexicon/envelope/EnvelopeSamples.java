package social.coves.lexicon.envelope;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/** Envelopes of every kind and shape the ingestor produces, with and without the optional fields. */
final class EnvelopeSamples {

    static final String DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    private EnvelopeSamples() {
    }

    static List<EventEnvelope> all() {
        ObjectNode post = JsonNodeFactory.instance.objectNode()
                .put("$type", "social.coves.community.post")
                .put("community", "did:plc:gardening0000000000000000")
                .put("title", "Tomatoes 🍅")
                .put("createdAt", "2026-11-21T10:00:00.000Z");
        post.putArray("langs").add("en");
        Instant received = Instant.parse("2026-11-21T10:00:00.123456Z");
        return List.of(
                new EventEnvelope(1, "commit", DID, 1_763_719_200_000_000L, 123_456L, "jetstream1.us-east.bsky.network", received,
                        new EventEnvelope.Commit("create", "social.coves.community.post", "3kznmn7xqxl22", "3kznmn7xqxl2a",
                                "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm", post), null, null),
                new EventEnvelope(1, "commit", DID, 1_763_719_200_000_001L, null, "localhost:6008", Instant.parse("2026-11-21T10:00:01Z"),
                        new EventEnvelope.Commit("update", "social.coves.community.post", "3kznmn7xqxl22", "3kznmn7xqxl2b",
                                "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm", post), null, null),
                new EventEnvelope(1, "commit", DID, 1_763_719_200_000_002L, 123_458L, null, null,
                        new EventEnvelope.Commit("delete", "social.coves.feed.vote", "3kznmn7xqxl23", "3kznmn7xqxl2c", null, null),
                        null, null),
                new EventEnvelope(1, "identity", DID, 1_763_719_200_000_003L, 123_459L, "localhost", received, null,
                        new EventEnvelope.Identity("alice.coves.social", 9_001L, "2026-11-21T10:00:00.000Z"), null),
                new EventEnvelope(1, "identity", DID, 1_763_719_200_000_004L, null, null, null, null,
                        new EventEnvelope.Identity(null, null, null), null),
                new EventEnvelope(1, "account", DID, 1_763_719_200_000_005L, 123_460L, "localhost", received, null, null,
                        new EventEnvelope.Account(true, null, 9_002L, "2026-11-21T10:00:00.000Z")),
                new EventEnvelope(1, "account", DID, 1_763_719_200_000_006L, null, null, null, null, null,
                        new EventEnvelope.Account(false, "takendown", null, null)));
    }
}
