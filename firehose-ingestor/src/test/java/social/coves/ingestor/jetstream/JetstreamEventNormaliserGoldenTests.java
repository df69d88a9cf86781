package social.coves.ingestor.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.envelope.Topics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real legacy capture {@code golden_v1.jsonl} parses into envelopes whose fields match the source line; our own
 * {@code aggregator_frames.jsonl} (test resources) pins the outcome of aggregator service and authorization frames
 * through the real validator: accepted, or rejected with the exact reason.
 */
class JetstreamEventNormaliserGoldenTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void everyGoldenLineBecomesAnEnvelopeWithTheSourceFields() throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.jetstream("golden_v1.jsonl"), StandardCharsets.UTF_8);
        JetstreamEventNormaliser permissive = new JetstreamEventNormaliser(EnvelopeCodec.mapper(), "golden", (d, c, k, r) -> List.of());
        assertThat(lines).hasSize(10);

        for (String line : lines) {
            JsonNode source = MAPPER.readTree(line);
            var outcome = permissive.normalise(line.getBytes(StandardCharsets.UTF_8), NOW);

            assertThat(outcome).as(line).isInstanceOf(JetstreamEventNormaliser.Accepted.class);
            var accepted = (JetstreamEventNormaliser.Accepted) outcome;
            EventEnvelope e = accepted.envelope();
            assertThat(e.did()).isEqualTo(source.get("did").asText());
            assertThat(e.timeUs()).isEqualTo(source.get("time_us").asLong());
            assertThat(e.kind()).isEqualTo(source.get("kind").asText());
            assertThat(e.seq()).as("legacy capture: no cursor field").isNull();
            assertThat(accepted.cursor()).as("legacy cursor is time_us").isEqualTo(source.get("time_us").asLong());
            assertThat(e.source()).isEqualTo("golden");
            assertThat(e.receivedAt()).isEqualTo(NOW);
            switch (e.kind()) {
                case "commit" -> {
                    JsonNode c = source.get("commit");
                    assertThat(accepted.topic()).isEqualTo(Topics.REPO_EVENTS);
                    assertThat(e.commit().operation()).isEqualTo(c.get("operation").asText());
                    assertThat(e.commit().collection()).isEqualTo(c.get("collection").asText());
                    assertThat(e.commit().rkey()).isEqualTo(c.get("rkey").asText());
                    assertThat(e.commit().rev()).isEqualTo(c.get("rev").asText());
                    if (c.has("record")) {
                        assertThat(e.commit().cid()).isEqualTo(c.get("cid").asText());
                        assertThat(e.commit().record()).isEqualTo(c.get("record"));
                    } else {
                        assertThat(e.commit().cid()).isNull();
                        assertThat(e.commit().record()).isNull();
                    }
                    // the envelope JSON round-trips the record verbatim (emoji, %3A escapes, blobs)
                    JsonNode encoded = MAPPER.readTree(EnvelopeCodec.encode(e));
                    assertThat(IngestTopics.commitKey(encoded)).isEqualTo(IngestTopics.commitKey(source));
                    if (c.has("record")) {
                        assertThat(encoded.at("/commit/record")).isEqualTo(c.get("record"));
                    }
                }
                case "identity" -> {
                    assertThat(accepted.topic()).isEqualTo(Topics.IDENTITY_EVENTS);
                    assertThat(e.identity().seq()).isEqualTo(source.at("/identity/seq").asLong());
                    assertThat(e.identity().time()).isEqualTo(source.at("/identity/time").asText());
                    assertThat(e.identity().handle()).isNull();
                }
                case "account" -> {
                    assertThat(accepted.topic()).isEqualTo(Topics.IDENTITY_EVENTS);
                    assertThat(e.account().active()).isEqualTo(source.at("/account/active").asBoolean());
                    assertThat(e.account().seq()).isEqualTo(source.at("/account/seq").asLong());
                }
                default -> throw new AssertionError("unexpected kind " + e.kind());
            }
        }
    }

    @Test
    void withTheRealValidatorTheBskyCommitsAreRejectedWithAReasonAndIdentityPasses() throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.jetstream("golden_v1.jsonl"), StandardCharsets.UTF_8);
        JetstreamEventNormaliser real = new JetstreamEventNormaliser(EnvelopeCodec.mapper(), "golden",
                new JetstreamRecordValidator()::validate);

        for (String line : lines) {
            JsonNode source = MAPPER.readTree(line);
            var outcome = real.normalise(line.getBytes(StandardCharsets.UTF_8), NOW);
            boolean withRecord = source.path("commit").has("record");
            if (withRecord) {
                assertThat(outcome).as(line).isInstanceOf(JetstreamEventNormaliser.Rejected.class);
                var rejected = (JetstreamEventNormaliser.Rejected) outcome;
                assertThat(rejected.key()).isEqualTo(source.get("did").asText());
                assertThat(rejected.reason()).startsWith("invalid " + source.at("/commit/collection").asText() + " record");
            } else {
                assertThat(outcome).as(line).isInstanceOf(JetstreamEventNormaliser.Accepted.class);
            }
        }
    }

    @Test
    void aggregatorFramesAreAcceptedOrRejectedWithTheirExactReason() throws Exception {
        List<String> lines;
        try (var in = JetstreamEventNormaliserGoldenTests.class.getResourceAsStream("/jetstream/aggregator_frames.jsonl")) {
            assertThat(in).as("test resource jetstream/aggregator_frames.jsonl").isNotNull();
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
        JetstreamEventNormaliser real = new JetstreamEventNormaliser(EnvelopeCodec.mapper(), "golden",
                new JetstreamRecordValidator()::validate);
        int accepted = 0;
        int rejected = 0;
        for (String line : lines) {
            JsonNode golden = MAPPER.readTree(line);
            JsonNode source = golden.get("frame");
            String note = golden.get("note").asText();
            String expect = golden.get("expect").asText();
            var outcome = real.normalise(MAPPER.writeValueAsBytes(source), NOW);
            if (expect.equals("accepted")) {
                accepted++;
                assertThat(outcome).as(note).isInstanceOf(JetstreamEventNormaliser.Accepted.class);
                var envelope = ((JetstreamEventNormaliser.Accepted) outcome).envelope();
                JsonNode c = source.get("commit");
                assertThat(((JetstreamEventNormaliser.Accepted) outcome).topic()).as(note).isEqualTo(Topics.REPO_EVENTS);
                assertThat(envelope.did()).as(note).isEqualTo(source.get("did").asText());
                assertThat(envelope.commit().collection()).as(note).isEqualTo(c.get("collection").asText());
                assertThat(envelope.commit().operation()).as(note).isEqualTo(c.get("operation").asText());
                assertThat(envelope.commit().rkey()).as(note).isEqualTo(c.get("rkey").asText());
                assertThat(envelope.commit().rev()).as(note).isEqualTo(c.get("rev").asText());
                assertThat(envelope.commit().cid()).as(note).isEqualTo(c.has("cid") ? c.get("cid").asText() : null);
                assertThat(envelope.commit().record()).as(note).isEqualTo(c.get("record"));
                assertThat(MAPPER.readTree(EnvelopeCodec.encode(envelope)).at("/commit/record")).as(note)
                        .isEqualTo(c.has("record") ? c.get("record") : MAPPER.missingNode());
            } else {
                rejected++;
                assertThat(outcome).as(note).isInstanceOf(JetstreamEventNormaliser.Rejected.class);
                var rejection = (JetstreamEventNormaliser.Rejected) outcome;
                assertThat(rejection.reason()).as(note).isEqualTo(expect);
                assertThat(rejection.key()).as(note).isEqualTo(source.get("did").asText());
                assertThat(rejection.category()).as(note).isEqualTo("invalid_record");
            }
        }
        assertThat(accepted).isEqualTo(7);
        assertThat(rejected).isEqualTo(8);
    }

    /** The jetstream role asks for exactly the collections the indexer knows (identity and account events always come). */
    @Test
    void theDefaultWantedCollectionsAreTheIndexedOnes() throws Exception {
        String defaults = JetstreamConfig.class.getMethod("wantedCollections").getAnnotation(io.smallrye.config.WithDefault.class).value();
        assertThat(List.of(defaults.split(","))).containsExactlyInAnyOrderElementsOf(social.coves.lexicon.CovesCollections.INDEXED);
    }
}
