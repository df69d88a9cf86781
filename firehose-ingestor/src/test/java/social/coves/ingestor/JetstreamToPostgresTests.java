package social.coves.ingestor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import social.coves.localstack.jetstream.SampleIds;
import social.coves.localstack.jetstream.SampleNetwork;
import social.coves.localstack.testing.JetstreamResource;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;
import social.coves.lexicon.envelope.Topics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Both roles in one app: the Jetstream stand-in → real Kafka → real Postgres. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(JetstreamResource.class)
class JetstreamToPostgresTests {

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everySampleCommunityIsProjectedWithItsHandleAndLatestProfile() {
        List<SampleNetwork.Community> expected = JetstreamResource.sample().communities();

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(communities()).containsExactlyInAnyOrderElementsOf(
                        expected.stream().map(c -> c.did() + " " + c.handle() + " " + c.name()).toList()));

        // the sample ends with an edit of the first community: the update replaced the create
        SampleNetwork.Community first = expected.getFirst();
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            Row row = pool.preparedQuery("SELECT display_name, description FROM appview.communities WHERE did = $1")
                    .execute(Tuple.of(first.did())).await().indefinitely().iterator().next();
            assertThat(row.getString("display_name")).endsWith(" Club");
            assertThat(row.getString("description")).contains("edited");
        });
    }

    @Test
    void malformedFramesAndInvalidRecordsLandInTheRejectsTopicWithAReason() {
        ObjectMapper mapper = new ObjectMapper();
        var log = JetstreamResource.server().log();
        var wrongType = mapper.createObjectNode().put("did", "did:plc:rejectme").put("time_us", System.currentTimeMillis() * 1000).put("kind", "commit");
        wrongType.putObject("commit").put("rev", "3lzzzzzzzzz2a").put("operation", "create")
                .put("collection", "social.coves.community.profile").put("rkey", "self").put("cid", "bafyreib")
                .putObject("record").put("$type", "app.bsky.feed.post");
        log.append(wrongType);
        var noKind = mapper.createObjectNode().put("did", "did:plc:rejectme2").put("time_us", 5L);
        log.append(noKind);

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            Map<String, String> reasons = rejects();
            assertThat(reasons).containsKey("did:plc:rejectme");
            assertThat(reasons.get("did:plc:rejectme")).contains("does not match collection social.coves.community.profile");
            assertThat(reasons).containsEntry("did:plc:rejectme2", "missing kind");
        });
    }

    /**
     * DIDs that meet atproto's generic DID syntax but not the did:plc / did:web method rules are fine in records: a post,
     * a comment on it and a subscription naming them in every DID, at-identifier and AT-URI field are indexed.
     */
    @Test
    void recordsNamingGenericSyntaxDidsAreIndexed() {
        var log = JetstreamResource.server().log();
        long now = System.currentTimeMillis() * 1000;
        String community = "did:plc:test123", author = "did:example:abc", subscriber = "did:web:example.com";
        String postKey = SampleIds.tid(now, 101), commentKey = SampleIds.tid(now, 102), subscriptionKey = SampleIds.tid(now, 103);
        String postUri = "at://" + community + "/social.coves.community.post/" + postKey;
        String postCid = SampleIds.cid(postUri);

        ObjectNode post = record("social.coves.community.post").put("community", community).put("author", author).put("title", "hi @abc");
        mention(post, subscriber);
        log.append(commit(community, "social.coves.community.post", postKey, postCid, post));
        ObjectNode comment = record("social.coves.community.comment").put("content", "hello there");
        comment.putObject("reply").<ObjectNode>set("root", strongRef(postUri, postCid)).set("parent", strongRef(postUri, postCid));
        mention(comment, community);
        log.append(commit(author, "social.coves.community.comment", commentKey, SampleIds.cid(commentKey), comment));
        log.append(commit(subscriber, "social.coves.community.subscription", subscriptionKey, SampleIds.cid(subscriptionKey),
                record("social.coves.community.subscription").put("subject", community)));

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(row("SELECT community_did, author_did FROM appview.posts WHERE uri = $1", postUri))
                    .containsExactly(community, author);
            assertThat(row("SELECT author_did, root_uri FROM appview.comments WHERE uri = $1",
                    "at://" + author + "/social.coves.community.comment/" + commentKey)).containsExactly(author, postUri);
            assertThat(row("SELECT subscriber_did, community_did FROM appview.subscriptions WHERE uri = $1",
                    "at://" + subscriber + "/social.coves.community.subscription/" + subscriptionKey)).containsExactly(subscriber, community);
        });
    }

    /**
     * Aggregator records travel the whole way (the role asks Jetstream for both collections by default): a service record
     * in the aggregator's repo and an authorization in the community's are indexed; records naming another repo than the
     * one holding them are rejected with the field and both DIDs named.
     */
    @Test
    void aggregatorRecordsAreIndexedAndThoseNamingAnotherRepoAreRejected() {
        var log = JetstreamResource.server().log();
        long now = System.currentTimeMillis() * 1000;
        String bot = "did:plc:e2ebote2ebote2ebote2ebot", community = "did:plc:e2ecommunitye2ecommunity";
        String impostor = "did:plc:e2eimpostore2eimpostore2", moderator = "did:web:moderator.example.com";
        String authKey = SampleIds.tid(now, 301), forgedKey = SampleIds.tid(now, 302);
        ObjectNode service = record("social.coves.aggregator.service").put("did", bot).put("displayName", "E2E news")
                .put("sourceUrl", "https://git.example.com/e2e");
        service.putObject("avatar").put("$type", "blob").put("mimeType", "image/png").put("size", 100)
                .putObject("ref").put("$link", SampleIds.cid("avatar"));
        log.append(commit(bot, "social.coves.aggregator.service", "self", SampleIds.cid("service"), service));
        log.append(commit(community, "social.coves.aggregator.authorization", authKey, SampleIds.cid(authKey),
                authorization(bot, community, moderator)));
        log.append(commit(impostor, "social.coves.aggregator.service", "self", SampleIds.cid("impostor"),
                record("social.coves.aggregator.service").put("did", bot).put("displayName", "Not E2E news")));
        log.append(commit(bot, "social.coves.aggregator.authorization", forgedKey, SampleIds.cid(forgedKey),
                authorization(bot, community, moderator)));

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(row("SELECT display_name, avatar_cid FROM appview.aggregator_services WHERE did = $1", bot))
                    .containsExactly("E2E news", SampleIds.cid("avatar"));
            assertThat(row("SELECT aggregator_did, community_did FROM appview.aggregator_authorizations WHERE uri = $1",
                    "at://" + community + "/social.coves.aggregator.authorization/" + authKey)).containsExactly(bot, community);
        });
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            List<Map.Entry<String, String>> rejected = rejected();
            assertThat(rejected).contains(Map.entry(impostor,
                    "invalid social.coves.aggregator.service record: $.did: " + bot + " is not the repo " + impostor));
            assertThat(rejected).contains(Map.entry(bot,
                    "invalid social.coves.aggregator.authorization record: $.communityDid: " + community + " is not the repo " + bot));
        });
        assertThat(row("SELECT count(*)::text, coalesce(max(did), 'none') FROM appview.aggregator_services WHERE did = $1", impostor))
                .containsExactly("0", "none");
        assertThat(row("SELECT count(*)::text, coalesce(max(uri), 'none') FROM appview.aggregator_authorizations WHERE uri LIKE $1",
                "at://" + bot + "/%")).containsExactly("0", "none");
    }

    private static ObjectNode authorization(String aggregator, String community, String moderator) {
        ObjectNode record = record("social.coves.aggregator.authorization").put("aggregatorDid", aggregator)
                .put("communityDid", community).put("enabled", true).put("createdBy", moderator);
        record.putObject("config").put("maxPostsPerDay", 3);
        return record;
    }

    /**
     * Every invalid DID of the atproto interop fixtures is still refused with a reason: as the subject of a subscription
     * (the record fails the lexicon's {@code did} format) and as the event's own {@code did}.
     */
    @Test
    void syntacticallyInvalidDidsAreStillRejectedWithAReason() throws IOException {
        var log = JetstreamResource.server().log();
        long now = System.currentTimeMillis() * 1000;
        List<String> invalid = Files.readAllLines(Path.of(System.getProperty("coves.fixtures.dir", "../../shared/fixtures"),
                "atproto-interop", "syntax", "did_syntax_invalid.txt")).stream()
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).distinct().toList();
        assertThat(invalid).hasSizeGreaterThan(10);
        for (int i = 0; i < invalid.size(); i++) {
            String key = SampleIds.tid(now, 200 + i);
            log.append(commit("did:example:badsubject" + i, "social.coves.community.subscription", key, SampleIds.cid(key),
                    record("social.coves.community.subscription").put("subject", invalid.get(i))));
            ObjectNode identity = new ObjectMapper().createObjectNode().put("did", invalid.get(i)).put("time_us", now).put("kind", "identity");
            identity.putObject("identity").put("did", invalid.get(i)).put("seq", 1).put("time", "2026-01-01T00:00:00Z");
            log.append(identity);
        }

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            List<Map.Entry<String, String>> rejected = rejected();
            for (int i = 0; i < invalid.size(); i++) {
                String did = invalid.get(i);
                String shown = did.length() > 80 ? did.substring(0, 80) : did + "\"";
                assertThat(rejected).as(did).contains(Map.entry("did:example:badsubject" + i,
                        "invalid social.coves.community.subscription record: $.subject: not a valid did"));
                assertThat(rejected).as(did).anySatisfy(r -> {
                    assertThat(r.getKey()).isNull();
                    assertThat(r.getValue()).startsWith("event did: invalid DID \"" + shown);
                });
            }
        });
    }

    private static ObjectNode record(String type) {
        return new ObjectMapper().createObjectNode().put("$type", type).put("createdAt", "2026-01-01T00:00:00.000Z");
    }

    private static ObjectNode strongRef(String uri, String cid) {
        return new ObjectMapper().createObjectNode().put("uri", uri).put("cid", cid);
    }

    private static void mention(ObjectNode record, String did) {
        ObjectNode facet = record.putArray("facets").addObject();
        facet.putObject("index").put("byteStart", 0).put("byteEnd", 2);
        facet.putArray("features").addObject().put("$type", "social.coves.richtext.facet#mention").put("did", did);
    }

    private static ObjectNode commit(String did, String collection, String rkey, String cid, ObjectNode record) {
        ObjectNode event = new ObjectMapper().createObjectNode().put("did", did).put("time_us", System.currentTimeMillis() * 1000)
                .put("kind", "commit");
        event.putObject("commit").put("rev", SampleIds.tid(System.currentTimeMillis() * 1000, 7)).put("operation", "create")
                .put("collection", collection).put("rkey", rkey).put("cid", cid).set("record", record);
        return event;
    }

    private List<String> row(String sql, String uri) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.of(uri)).await().indefinitely()
                .forEach(r -> out.addAll(List.of(r.getString(0), r.getString(1))));
        return out;
    }

    private List<String> communities() {
        List<String> out = new ArrayList<>();
        pool.query("SELECT c.did, a.handle, c.name FROM appview.communities c LEFT JOIN appview.actors a ON a.did = c.did")
                .execute().await().indefinitely()
                .forEach(r -> out.add(r.getString(0) + " " + r.getString(1) + " " + r.getString(2)));
        return out;
    }

    private Map<String, String> rejects() {
        Map<String, String> reasons = new java.util.HashMap<>();
        rejected().forEach(r -> reasons.put(r.getKey(), r.getValue()));
        return reasons;
    }

    /** Every record of the rejects topic so far: key (the DID, or null when the event had none) and reason. */
    private List<Map.Entry<String, String>> rejected() {
        List<Map.Entry<String, String>> rejected = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "rejects-check-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.INGEST_REJECTS));
            long deadline = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    var header = r.headers().lastHeader(Topics.HEADER_REJECT_REASON);
                    rejected.add(new java.util.AbstractMap.SimpleEntry<>(r.key(),
                            header == null ? null : new String(header.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        return rejected;
    }
}
