package social.coves.ingestor.indexer.identity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The indexer's identity checks through identity-service's HTTP endpoints (played by {@link IdentityStandIn}), with
 * events produced to real Kafka and folded into real PostgreSQL by the live indexer. did:web hostedBy: verdicts land on
 * the community row with their reason. Handles: every account seen (a post's author, an identity event) gets its
 * verified handle, or {@code handle.invalid}, and a handle change reaches it. While identity-service is down the fold
 * goes on, verdicts and handles stay as they were and are retried.
 */
@QuarkusTest
@TestProfile(IdentityChecksTests.FastChecks.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(IdentityStandIn.class)
class IdentityChecksTests {

    /** The jobs on, with short intervals and back-off so retries happen within a test. */
    public static class FastChecks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> fast = new java.util.HashMap<>();
            for (String job : List.of("hosting", "handles")) {
                fast.putAll(Map.of("coves.indexer." + job + ".enabled", "true", "coves.indexer." + job + ".interval", "PT0.2S",
                        "coves.indexer." + job + ".per-second", "200", "coves.indexer." + job + ".timeout", "PT2S",
                        "coves.indexer." + job + ".retry-min", "PT0.5S", "coves.indexer." + job + ".retry-max", "PT1S"));
            }
            return fast;
        }
    }

    private static final JsonNodeFactory J = JsonNodeFactory.instance;
    private static final String CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
    private static final AtomicLong CLOCK = new AtomicLong(System.currentTimeMillis() * 1000);

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void verdictsLandOnTheCommunityRowWithTheirReason() {
        String good = did("hostgood");
        String mismatch = did("hostmism");
        String unknown = did("hostunkn");
        IdentityStandIn.handle(good, "c-good.coves.example");
        IdentityStandIn.handle(mismatch, "c-mism.elsewhere.example");
        produce(profile(good, "good", "did:web:coves.example"), profile(mismatch, "mism", "did:web:coves.example"),
                profile(unknown, "unkn", "did:web:coves.example"));

        awaitVerdict(good, true, "Verified");
        assertThat(hosting(good)).containsExactly(true, "Verified", "c-good.coves.example", 0);
        awaitVerdict(mismatch, false, "DomainMismatch");
        assertThat(hosting(mismatch)).containsExactly(false, "DomainMismatch", "c-mism.elsewhere.example", 0);
        awaitVerdict(unknown, false, "CommunityNotResolved");

        // a new hostedBy is checked again: pending first, then the new verdict
        produce(profile(good, "good", "did:web:other.example"));
        awaitVerdict(good, false, "DomainMismatch");
        assertThat(row("SELECT hosted_by FROM appview.communities WHERE did = $1", good)).containsExactly("did:web:other.example");
        // an update that keeps hostedBy keeps the verdict (no new check needed)
        produce(profile(mismatch, "mism renamed", "did:web:coves.example"));
        await().atMost(Duration.ofSeconds(60)).until(() -> "mism renamed".equals(row("SELECT display_name FROM appview.communities WHERE did = $1", mismatch).getFirst()));
        assertThat(hosting(mismatch)).containsExactly(false, "DomainMismatch", "c-mism.elsewhere.example", 0);
    }

    @Test
    void whileIdentityServiceIsDownTheFoldGoesOnAndTheVerdictStaysPendingUntilItAnswers() {
        String community = did("hostdown");
        IdentityStandIn.handle(community, "c-down.coves.example");
        IdentityStandIn.down();
        try {
            String post = "at://" + community + "/social.coves.community.post/" + tid();
            produce(profile(community, "down", "did:web:coves.example"), postIn(community, post));
            // the batch with the profile and the post is folded although no verdict can be had
            await().atMost(Duration.ofSeconds(60)).until(() -> Long.valueOf(1).equals(row("SELECT post_count FROM appview.communities WHERE did = $1", community).getFirst()));
            await().atMost(Duration.ofSeconds(30)).until(() -> ((Number) hosting(community).get(3)).intValue() >= 2);   // retried
            List<Object> pending = hosting(community);
            assertThat(pending.get(0)).as("verdict").isNull();
            assertThat(pending.get(1)).isEqualTo("Unreachable");
            assertThat(row("SELECT hosted_by_message FROM appview.communities WHERE did = $1", community).getFirst().toString())
                    .contains("identity-service");
        } finally {
            IdentityStandIn.up();
        }
        awaitVerdict(community, true, "Verified");
        assertThat(hosting(community)).containsExactly(true, "Verified", "c-down.coves.example", 0);
    }

    @Test
    void everyAccountSeenGetsItsVerifiedHandleAndAHandleChangeReachesIt() {
        String community = did("hdlcomm");
        String author = did("hdlauth");
        String impostor = did("hdlimpo");
        IdentityStandIn.handle(author, "author.coves.example");
        IdentityStandIn.handle(impostor, "handle.invalid");   // its claim does not verify
        // the author has sent no identity event: seen first as a post's author in the community's repo
        produce(postBy(community, author));
        produceIdentity(impostor, "alice.coves.example");
        awaitShownHandle(author, "author.coves.example");
        awaitShownHandle(impostor, "handle.invalid");
        assertThat(row("SELECT handle, verified_handle FROM appview.actors WHERE did = $1", impostor))
                .containsExactly("alice.coves.example", "handle.invalid");

        // a new handle: the identity event makes it due at once, and the verified one replaces the old
        IdentityStandIn.handle(author, "renamed.coves.example");
        produceIdentity(author, "renamed.coves.example");
        awaitShownHandle(author, "renamed.coves.example");
        // a handle that stops verifying
        IdentityStandIn.handle(author, "handle.invalid");
        produceIdentity(author, "renamed.coves.example");
        awaitShownHandle(author, "handle.invalid");
    }

    @Test
    void whileIdentityServiceIsDownTheFoldGoesOnAndHandlesComeLater() {
        String community = did("hdldown");
        String author = did("hdldnau");
        IdentityStandIn.handle(author, "later.coves.example");
        IdentityStandIn.down();
        try {
            produce(postBy(community, author));
            await().atMost(Duration.ofSeconds(60)).until(() -> Long.valueOf(1).equals(
                    row("SELECT count(*) FROM appview.posts WHERE author_did = $1", author).getFirst()));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    ((Number) row("SELECT handle_attempts FROM appview.actors WHERE did = $1", author).getFirst()).intValue() >= 2);
            assertThat(row("SELECT shown_handle FROM appview.actors WHERE did = $1", author).getFirst()).isNull();
        } finally {
            IdentityStandIn.up();
        }
        awaitShownHandle(author, "later.coves.example");
    }

    // --- helpers

    private void awaitShownHandle(String did, String handle) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(row("SELECT shown_handle FROM appview.actors WHERE did = $1", did).getFirst()).isEqualTo(handle));
    }

    private void produceIdentity(String did, String handle) {
        long time = CLOCK.incrementAndGet();
        send("coves.identity-events.v1", new EventEnvelope(EventEnvelope.CURRENT_VERSION, EventEnvelope.KIND_IDENTITY, did, time, time,
                "test", null, null, new EventEnvelope.Identity(handle, time, null), null));
    }

    private static EventEnvelope postBy(String community, String author) {
        String rkey = tid();
        ObjectNode r = J.objectNode().put("$type", "social.coves.community.post").put("community", community)
                .put("author", author).put("title", "first sight").put("createdAt", "2026-01-03T00:00:00.000Z");
        return commit(community, "social.coves.community.post", rkey, r);
    }

    private void awaitVerdict(String did, boolean verified, String reason) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(hosting(did).subList(0, 2)).containsExactly(verified, reason));
    }

    /** verified, reason, handle, attempts */
    private List<Object> hosting(String did) {
        return row("SELECT hosted_by_verified, hosted_by_reason, hosted_by_handle, hosted_by_attempts FROM appview.communities WHERE did = $1", did);
    }

    private List<Object> row(String sql, String did) {
        var rows = pool.preparedQuery(sql).execute(Tuple.of(did)).await().indefinitely();
        if (rows.size() == 0) {
            return Arrays.asList(new Object[]{null, null, null, 0});
        }
        Row r = rows.iterator().next();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            out.add(r.getValue(i));
        }
        return out;
    }

    private void produce(EventEnvelope... events) {
        send("coves.repo-events.v1", events);
    }

    private void send(String topic, EventEnvelope... events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (EventEnvelope e : events) {
                producer.send(new ProducerRecord<>(topic, e.did(), EnvelopeCodec.encodeToString(e)));
            }
            producer.flush();
        }
    }

    private static EventEnvelope profile(String community, String name, String hostedBy) {
        ObjectNode r = J.objectNode().put("$type", "social.coves.community.profile").put("name", name.replace(' ', '-'))
                .put("displayName", name).put("createdBy", community).put("hostedBy", hostedBy)
                .put("visibility", "public").put("createdAt", "2026-01-01T00:00:00.000Z");
        return commit(community, "social.coves.community.profile", "self", r);
    }

    private static EventEnvelope postIn(String community, String uri) {
        ObjectNode r = J.objectNode().put("$type", "social.coves.community.post").put("community", community)
                .put("author", community).put("title", "while identity-service is down").put("createdAt", "2026-01-02T00:00:00.000Z");
        return commit(community, "social.coves.community.post", uri.substring(uri.lastIndexOf('/') + 1), r);
    }

    private static EventEnvelope commit(String repo, String collection, String rkey, ObjectNode record) {
        long time = CLOCK.incrementAndGet();
        return new EventEnvelope(EventEnvelope.CURRENT_VERSION, EventEnvelope.KIND_COMMIT, repo, time, time, "test", null,
                new EventEnvelope.Commit("create", collection, rkey, tid(), CID, record), null, null);
    }

    private static String did(String name) {
        return "did:plc:" + (name + Long.toString(System.nanoTime(), 32) + "aaaaaaaaaaaaaaaaaaaaaaaa").substring(0, 24)
                .replaceAll("[^a-z2-7]", "a");
    }

    /** TID-shaped, strictly increasing across the run (13 chars of the sortable base32 alphabet). */
    private static String tid() {
        long v = CLOCK.incrementAndGet();
        String alphabet = "234567abcdefghijklmnopqrstuvwxyz";
        char[] out = new char[13];
        for (int i = 12; i >= 0; i--) {
            out[i] = alphabet.charAt((int) (v & 31));
            v >>>= 5;
        }
        return new String(out);
    }
}
