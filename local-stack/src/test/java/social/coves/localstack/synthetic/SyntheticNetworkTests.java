package social.coves.localstack.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.CovesLexicons;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.syntax.AtUri;
import social.coves.lexicon.syntax.Cid;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.Handle;
import social.coves.lexicon.syntax.Tid;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticNetworkTests {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final int SAMPLE = 20_000;

    private static List<ObjectNode> generate(long seed, NetworkShape shape) {
        List<ObjectNode> frames = new ArrayList<>();
        new SyntheticNetwork(shape, seed, START).forEachRemaining(frames::add);
        return frames;
    }

    private static byte[] digest(long seed, long events) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        new SyntheticNetwork(NetworkShape.forEvents(events), seed, START)
                .forEachRemaining(f -> sha.update((f + "\n").getBytes(StandardCharsets.UTF_8)));
        return sha.digest();
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws Exception {
        assertThat(digest(42, SAMPLE)).isEqualTo(digest(42, SAMPLE)).isNotEqualTo(digest(43, SAMPLE));
    }

    @Test
    void everyFrameIsWellFormedAndEveryRecordValidAgainstTheCovesLexicons() {
        CovesLexicons lexicons = CovesLexicons.get();
        List<ObjectNode> frames = generate(42, NetworkShape.forEvents(SAMPLE));
        assertThat(frames).hasSize(SAMPLE);
        long previousTime = 0;
        Map<String, String> lastRev = new HashMap<>();
        for (ObjectNode frame : frames) {
            String did = frame.get("did").asText();
            assertThat(Did.isValid(did) && did.matches("did:plc:[a-z2-7]{24}")).as(frame.toString()).isTrue();
            assertThat(frame.get("time_us").asLong()).as("time_us increases").isGreaterThan(previousTime);
            previousTime = frame.get("time_us").asLong();
            switch (frame.get("kind").asText()) {
                case "identity" -> assertThat(Handle.isValid(frame.at("/identity/handle").asText())).as(frame.toString()).isTrue();
                case "account" -> assertThat(frame.at("/account/active").isBoolean()).isTrue();
                case "commit" -> {
                    JsonNode commit = frame.get("commit");
                    String rev = commit.get("rev").asText();
                    assertThat(Tid.isValid(rev)).as("rev of %s", frame).isTrue();
                    String previous = lastRev.put(did, rev);
                    assertThat(previous == null || previous.compareTo(rev) < 0).as("revs increase per repo: %s", frame).isTrue();
                    if (commit.get("operation").asText().equals("delete")) {
                        assertThat(commit.has("record")).isFalse();
                        continue;
                    }
                    assertThat(Cid.isValid(commit.get("cid").asText())).as("cid of %s", frame).isTrue();
                    assertThat(lexicons.validateRecord(commit.get("collection").asText(), commit.get("rkey").asText(), commit.get("record")))
                            .as(frame.toString()).isEmpty();
                    for (String ref : List.of("/subject", "/reply/root", "/reply/parent")) {
                        JsonNode uri = commit.get("record").at(ref + "/uri");
                        if (!uri.isMissingNode()) {
                            assertThat(AtUri.isValid(uri.asText())).as(frame.toString()).isTrue();
                        }
                    }
                }
                default -> throw new AssertionError("unexpected kind: " + frame);
            }
        }
    }

    @Test
    void containsEveryKindOfEventTheAppViewHandles() {
        Set<String> kinds = new HashSet<>();
        for (ObjectNode frame : generate(42, NetworkShape.forEvents(SAMPLE))) {
            String kind = frame.get("kind").asText();
            kinds.add(switch (kind) {
                case "commit" -> frame.at("/commit/collection").asText() + " " + frame.at("/commit/operation").asText();
                case "account" -> "account active=" + frame.at("/account/active").asBoolean();
                default -> kind;
            });
        }
        assertThat(kinds).contains("identity", "account active=false", "account active=true",
                "social.coves.community.profile create", "social.coves.community.profile update",
                "social.coves.actor.profile create", "social.coves.actor.profile update",
                "social.coves.community.subscription create", "social.coves.community.subscription delete",
                "social.coves.community.block create",
                "social.coves.community.post create", "social.coves.community.post update", "social.coves.community.post delete",
                "social.coves.community.comment create", "social.coves.community.comment update", "social.coves.community.comment delete",
                "social.coves.feed.vote create", "social.coves.feed.vote update", "social.coves.feed.vote delete");
    }

    @Test
    void communityPopularityIsZipfSkewed() {
        NetworkShape shape = NetworkShape.forEvents(100_000).withCommunities(200);
        SyntheticNetwork network = new SyntheticNetwork(shape, 42, START);
        Map<String, Integer> postsByCommunity = new HashMap<>();
        network.forEachRemaining(f -> {
            if (f.at("/commit/collection").asText().equals(SyntheticNetwork.POST) && f.at("/commit/operation").asText().equals("create")) {
                postsByCommunity.merge(f.get("did").asText(), 1, Integer::sum);
            }
        });
        int total = postsByCommunity.values().stream().mapToInt(Integer::intValue).sum();
        int first = postsByCommunity.getOrDefault(network.communityDid(0), 0);
        int tenth = postsByCommunity.getOrDefault(network.communityDid(9), 0);
        int hundredth = postsByCommunity.getOrDefault(network.communityDid(99), 0);
        int topTwenty = 0;
        for (int rank = 0; rank < 20; rank++) {
            topTwenty += postsByCommunity.getOrDefault(network.communityDid(rank), 0);
        }
        // Zipf s=1 over 200: rank 1 ≈ 13% of posts, rank 1 / rank 10 ≈ 7, the top 10% of communities ≈ 57%
        assertThat(total).isGreaterThan(5_000);
        assertThat((double) first / total).isBetween(0.09, 0.18);
        assertThat((double) first / Math.max(1, tenth)).isBetween(4.0, 11.0);
        assertThat(tenth).isGreaterThan(hundredth);
        assertThat((double) topTwenty / total).isBetween(0.45, 0.70);
    }

    @Test
    void commentThreadsNestAndPointAtTheirPost() {
        Map<String, Integer> depth = new HashMap<>();
        Map<String, String> rootOf = new HashMap<>();
        Set<String> posts = new HashSet<>();
        TreeMap<Integer, Integer> byDepth = new TreeMap<>();
        for (ObjectNode frame : generate(42, NetworkShape.forEvents(50_000))) {
            JsonNode commit = frame.path("commit");
            String uri = "at://" + frame.get("did").asText() + "/" + commit.path("collection").asText() + "/" + commit.path("rkey").asText();
            if (!commit.path("operation").asText().equals("create")) {
                continue;
            }
            if (commit.path("collection").asText().equals(SyntheticNetwork.POST)) {
                posts.add(uri);
            } else if (commit.path("collection").asText().equals(SyntheticNetwork.COMMENT)) {
                String root = commit.at("/record/reply/root/uri").asText();
                String parent = commit.at("/record/reply/parent/uri").asText();
                assertThat(posts).as("root is an earlier post").contains(root);
                int d = parent.equals(root) ? 1 : depth.get(parent) + 1;
                if (d > 1) {
                    assertThat(rootOf.get(parent)).as("a reply shares its parent's root").isEqualTo(root);
                }
                depth.put(uri, d);
                rootOf.put(uri, root);
                byDepth.merge(d, 1, Integer::sum);
            }
        }
        int comments = depth.size();
        assertThat(byDepth.get(1)).isBetween(comments / 5, comments * 4 / 5);
        assertThat(byDepth.lastKey()).isGreaterThanOrEqualTo(6);
        assertThat(byDepth.get(3)).isLessThan(byDepth.get(1));
    }

    @Test
    void streamsInConstantMemory() {
        // a network of 50 million frames: only its first frames are made, and nothing sized by the total is allocated
        SyntheticNetwork huge = new SyntheticNetwork(NetworkShape.forEvents(50_000_000), 1, START);
        long frames = 0;
        long before = usedHeap();
        while (frames < 200_000) {
            huge.next();
            frames++;
        }
        assertThat(huge.hasNext()).isTrue();
        assertThat(huge.shape().communities()).isEqualTo(25_000);
        assertThat(usedHeap() - before).as("heap retained after 200k frames").isLessThan(64L << 20);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void framesBecomeEnvelopesThatSurviveTheCodec() {
        long seq = 0;
        for (ObjectNode frame : generate(42, NetworkShape.forEvents(5_000))) {
            EventEnvelope envelope = Envelopes.of(frame, ++seq, "synthetic", null);
            EventEnvelope back = EnvelopeCodec.decode(EnvelopeCodec.encode(envelope));
            assertThat(back).isEqualTo(envelope);
            assertThat(back.did()).isEqualTo(frame.get("did").asText());
            assertThat(back.timeUs()).isEqualTo(frame.get("time_us").asLong());
            if (back.commit() != null) {
                assertThat(back.commit().record()).isEqualTo(frame.at("/commit/record").isMissingNode() ? null : frame.at("/commit/record"));
                assertThat(Envelopes.topicOf(back)).isEqualTo("coves.repo-events.v1");
            } else {
                assertThat(Envelopes.topicOf(back)).isEqualTo("coves.identity-events.v1");
            }
        }
    }
}
