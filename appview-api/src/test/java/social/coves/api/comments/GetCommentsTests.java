package social.coves.api.comments;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.feeds.FeedSort;
import social.coves.api.support.Events;
import social.coves.api.support.IdentityServiceResource;
import social.coves.api.support.RunningIdentityService;
import social.coves.api.support.RunningIndexer;
import social.coves.api.support.ServiceJwts;
import social.coves.lexicon.crypto.KeyAlgorithm;
import social.coves.lexicon.crypto.SigningKey;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.testing.PostgresResource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** {@code social.coves.community.comment.getComments} over a thread indexed by the real indexer. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class GetCommentsTests {

    static final String NSID = "social.coves.community.comment.getComments";
    static final String APPVIEW = "did:web:localhost";
    static final String POST = "social.coves.community.post";
    static final String COMMENT = "social.coves.community.comment";
    static final String COMMUNITY = "did:plc:threadcommunityaaaaaaaaa";
    static final String AUTHOR = "did:plc:threadauthoraaaaaaaaaaaa";
    static final String ALICE = "did:plc:threadaliceaaaaaaaaaaaaa";
    static final String BOB = "did:plc:threadbobaaaaaaaaaaaaaaa";
    static final SigningKey ALICE_KEY = SigningKey.generate(KeyAlgorithm.ES256K);
    static final Instant NOW = Instant.now();

    static boolean seeded;
    static String postUri, postCid, otherPostUri;
    static String c1, c2, c3, c4, r3a, r1, rr1, rrr1, aliceVoteOnC2, c3Cid, slipped;
    static final List<String> c1Replies = new ArrayList<>();

    @Inject
    Pool pool;

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        RunningIdentityService.get().plc().publish(ALICE, "alice.thread.test", ALICE_KEY);
        List<EventEnvelope> events = new ArrayList<>();
        events.add(Events.identity(COMMUNITY, "c-threads.coves.test"));
        events.add(Events.identity(AUTHOR, "author.thread.test"));
        events.add(Events.identity(ALICE, "alice.thread.test"));
        events.add(Events.identity(BOB, "bob.thread.test"));
        events.add(Events.create(COMMUNITY, "social.coves.community.profile", "self",
                Events.community("threads", NOW.minus(Duration.ofDays(3)))));
        String rkey = Events.tid();
        EventEnvelope post = Events.create(COMMUNITY, POST, rkey, Events.post(COMMUNITY, AUTHOR, "a thread", NOW.minus(Duration.ofHours(3))));
        events.add(post);
        postUri = "at://" + COMMUNITY + "/" + POST + "/" + rkey;
        postCid = post.commit().cid();
        String otherRkey = Events.tid();
        EventEnvelope otherPost = Events.create(COMMUNITY, POST, otherRkey, Events.post(COMMUNITY, AUTHOR, "quiet", NOW.minus(Duration.ofHours(3))));
        events.add(otherPost);
        otherPostUri = "at://" + COMMUNITY + "/" + POST + "/" + otherRkey;

        c2 = comment(events, BOB, postUri, postCid, "c2, two hours old", NOW.minus(Duration.ofHours(2)));
        c1 = comment(events, ALICE, postUri, postCid, "c1, upvoted three times", NOW.minus(Duration.ofMinutes(50)));
        for (int i = 0; i < 3; i++) {
            events.add(Events.create("did:plc:threadvoter" + "abc".charAt(i) + "aaaaaaaaaaaa", "social.coves.feed.vote", Events.tid(),
                    Events.vote(c1, cidOf(events, c1), "up")));
        }
        for (int i = 7; i >= 2; i--) {
            c1Replies.add(comment(events, BOB, c1, cidOf(events, c1), "reply " + i, NOW.minus(Duration.ofMinutes(40 + i))));
        }
        r1 = comment(events, BOB, c1, cidOf(events, c1), "reply 1, the newest", NOW.minus(Duration.ofMinutes(41)));
        c1Replies.add(r1);
        rr1 = comment(events, ALICE, r1, cidOf(events, r1), "depth 2", NOW.minus(Duration.ofMinutes(35)));
        rrr1 = comment(events, BOB, rr1, cidOf(events, rr1), "depth 3", NOW.minus(Duration.ofMinutes(34)));
        c3 = comment(events, BOB, postUri, postCid, "c3, deleted later, has a reply", NOW.minus(Duration.ofMinutes(30)));
        c3Cid = cidOf(events, c3);
        r3a = comment(events, ALICE, c3, c3Cid, "reply to the deleted c3", NOW.minus(Duration.ofMinutes(25)));
        c4 = comment(events, BOB, postUri, postCid, "c4, deleted leaf", NOW.minus(Duration.ofMinutes(20)));
        // a reply under c2 that names the other post as its root: placed in no thread
        String slippedRkey = Events.tid();
        events.add(Events.create(ALICE, COMMENT, slippedRkey, Events.comment(otherPostUri, otherPost.commit().cid(), c2, cidOf(events, c2),
                "slipped in from another thread", NOW.minus(Duration.ofMinutes(10)))));
        slipped = "at://" + ALICE + "/" + COMMENT + "/" + slippedRkey;
        events.add(Events.delete(BOB, COMMENT, rkeyOf(c3)));
        events.add(Events.delete(BOB, COMMENT, rkeyOf(c4)));
        String voteRkey = Events.tid();
        events.add(Events.create(ALICE, "social.coves.feed.vote", voteRkey, Events.vote(c2, cidOf(events, c2), "down")));
        aliceVoteOnC2 = "at://" + ALICE + "/social.coves.feed.vote/" + voteRkey;
        RunningIndexer.get().index(events);
        seeded = true;
    }

    private static String comment(List<EventEnvelope> events, String author, String parentUri, String parentCid, String text, Instant at) {
        String rkey = Events.tid();
        events.add(Events.create(author, COMMENT, rkey, Events.comment(postUri, postCid, parentUri, parentCid, text, at)));
        return "at://" + author + "/" + COMMENT + "/" + rkey;
    }

    private static String cidOf(List<EventEnvelope> events, String uri) {
        return events.stream().filter(e -> e.commit() != null && uri.equals("at://" + e.did() + "/" + e.commit().collection() + "/" + e.commit().rkey()))
                .findFirst().orElseThrow().commit().cid();
    }

    private static String rkeyOf(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    private static Response get(Map<String, Object> params) {
        return given().queryParams(params).when().get("/xrpc/" + NSID);
    }

    private static List<String> topLevel(Map<String, Object> params) {
        return get(params).then().statusCode(200).extract().jsonPath().getList("comments.comment.uri");
    }

    @Test
    void eachSortOrdersTheTopLevelAndDeletedLeavesAreLeftOut() {
        assertThat(topLevel(Map.of("post", postUri, "sort", "new"))).containsExactly(c3, c1, c2);
        assertThat(topLevel(Map.of("post", postUri))).as("hot is the default").containsExactly(c1, c3, c2);
        assertThat(topLevel(Map.of("post", postUri, "sort", "top"))).containsExactly(c1, c3, c2);
        assertThat(topLevel(Map.of("post", postUri, "sort", "top", "timeframe", "hour"))).containsExactly(c1, c3);
        assertThat(topLevel(Map.of("post", otherPostUri))).isEmpty();
    }

    @Test
    void repliesAreThreadedWithAPerParentLimitAndHasMore() {
        Response r = get(Map.of("post", postUri, "sort", "new"));
        r.then().statusCode(200)
                .body("comments[1].comment.uri", equalTo(c1))
                .body("comments[1].replies.size()", equalTo(5))
                .body("comments[1].hasMore", equalTo(true))
                .body("comments[1].replies[0].comment.uri", equalTo(r1))
                .body("comments[1].replies[0].comment.parent.uri", equalTo(c1))
                .body("comments[1].replies[0].replies[0].comment.uri", equalTo(rr1))
                .body("comments[1].replies[0].replies[0].replies[0].comment.uri", equalTo(rrr1))
                .body("comments[1].replies[0].replies[0].replies[0]", not(hasKey("replies")))
                .body("comments[1].replies[0].replies[0].replies[0]", not(hasKey("hasMore")))
                .body("comments[2].comment.uri", equalTo(c2))
                .body("comments[2]", not(hasKey("replies")))
                .body("comments[2]", not(hasKey("hasMore")));
        List<String> shown = r.jsonPath().getList("comments[1].replies.comment.uri");
        assertThat(shown).containsExactlyElementsOf(c1Replies.reversed().subList(0, 5));
    }

    @Test
    void depthCutsTheTreeAndMarksWhatWasNotLoaded() {
        get(Map.of("post", postUri, "sort", "new", "depth", 0)).then().statusCode(200)
                .body("comments[1].comment.uri", equalTo(c1))
                .body("comments[1]", not(hasKey("replies")))
                .body("comments[1].hasMore", equalTo(true))
                .body("comments[2]", not(hasKey("hasMore")));
        get(Map.of("post", postUri, "sort", "new", "depth", 1)).then().statusCode(200)
                .body("comments[1].replies[0].comment.uri", equalTo(r1))
                .body("comments[1].replies[0]", not(hasKey("replies")))
                .body("comments[1].replies[0].hasMore", equalTo(true))
                .body("comments[1].replies[1]", not(hasKey("hasMore")));
        get(Map.of("post", postUri, "sort", "new", "depth", 500)).then().statusCode(200)
                .body("comments[1].replies[0].replies[0].replies[0].comment.uri", equalTo(rrr1));
    }

    @Test
    void aDeletedCommentWithRepliesIsAPlaceholderThatKeepsTheTreeShape() {
        get(Map.of("post", postUri, "sort", "new")).then().statusCode(200)
                .body("comments[0].comment.uri", equalTo(c3))
                .body("comments[0].comment.isDeleted", equalTo(true))
                .body("comments[0].comment.deletionReason", equalTo("author"))
                .body("comments[0].comment.deletedAt", org.hamcrest.Matchers.notNullValue())
                // still a valid commentView: an (empty) record object, a handle, the CID its reply answered
                .body("comments[0].comment.record", equalTo(Map.of()))
                .body("comments[0].comment.cid", equalTo(c3Cid))
                .body("comments[0].comment.author.did", equalTo(BOB))
                .body("comments[0].comment.author.handle", equalTo("handle.invalid"))
                .body("comments[0].comment.stats.replyCount", equalTo(1))
                .body("comments[0]", not(hasKey("$type")))
                .body("comments[0].replies[0].$type", equalTo("social.coves.community.comment.defs#threadViewComment"))
                .body("comments[0].replies[0].comment.uri", equalTo(r3a))
                .body("comments[0].replies[0].comment.record.content", equalTo("reply to the deleted c3"));
    }

    /** A reply whose parent is in another thread than the root it names is shown in neither and is no one's reply. */
    @Test
    void aReplyNamingAnotherThreadThanItsParentsIsShownInNeither() {
        String body = get(Map.of("post", postUri, "sort", "new", "depth", 5)).then().statusCode(200).extract().asString();
        assertThat(body).doesNotContain(slipped);
        var thread = io.restassured.path.json.JsonPath.from(body);
        List<Map<String, Object>> top = thread.getList("comments");
        Map<String, Object> c2View = top.stream().filter(t -> c2.equals(((Map<?, ?>) t.get("comment")).get("uri"))).findFirst().orElseThrow();
        assertThat(c2View).doesNotContainKey("replies");
        assertThat(((Map<?, ?>) ((Map<?, ?>) c2View.get("comment")).get("stats")).get("replyCount")).isEqualTo(0);
        var other = get(Map.of("post", otherPostUri, "sort", "new")).then().statusCode(200).extract().jsonPath();
        assertThat(other.getList("comments")).isEmpty();
    }

    @Test
    void aCommentViewCarriesRecordRefsStatsAndThePost() {
        get(Map.of("post", postUri, "sort", "top", "limit", 1)).then().statusCode(200)
                .body("post.uri", equalTo(postUri))
                .body("post.cid", equalTo(postCid))
                .body("post.record.title", equalTo("a thread"))
                .body("post.community.did", equalTo(COMMUNITY))
                .body("post.stats.commentCount", equalTo(12))
                .body("comments.size()", equalTo(1))
                .body("comments[0].comment.uri", equalTo(c1))
                .body("comments[0].comment.cid", org.hamcrest.Matchers.startsWith("bafyrei"))
                .body("comments[0].comment.author.did", equalTo(ALICE))
                .body("comments[0].comment.author.handle", equalTo("alice.thread.test"))
                .body("comments[0].comment.record.$type", equalTo(COMMENT))
                .body("comments[0].comment.record.content", equalTo("c1, upvoted three times"))
                .body("comments[0].comment.record.reply.root.uri", equalTo(postUri))
                .body("comments[0].comment.record.reply.parent.uri", equalTo(postUri))
                .body("comments[0].comment.post.uri", equalTo(postUri))
                .body("comments[0].comment.post.cid", equalTo(postCid))
                .body("comments[0].comment", not(hasKey("parent")))
                .body("comments[0].comment", not(hasKey("viewer")))
                .body("comments[0].comment", not(hasKey("isDeleted")))
                .body("comments[0].comment.stats.upvotes", equalTo(3))
                .body("comments[0].comment.stats.downvotes", equalTo(0))
                .body("comments[0].comment.stats.score", equalTo(3))
                .body("comments[0].comment.stats.replyCount", equalTo(7))
                .body("comments[0].comment.createdAt", org.hamcrest.Matchers.endsWith("Z"))
                .body("comments[0].comment.indexedAt", org.hamcrest.Matchers.endsWith("Z"))
                .body("cursor", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void cursorsWalkTheTopLevelOnePageAtATime() {
        for (String sort : List.of("hot", "top", "new")) {
            List<String> all = topLevel(Map.of("post", postUri, "sort", sort));
            List<String> walked = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var request = given().queryParam("post", postUri).queryParam("sort", sort).queryParam("limit", 1).queryParam("depth", 0);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                Response page = request.when().get("/xrpc/" + NSID);
                walked.addAll(page.then().statusCode(200).extract().jsonPath().getList("comments.comment.uri"));
                cursor = page.jsonPath().getString("cursor");
            } while (cursor != null && ++pages < 10);
            assertThat(walked).as(sort).containsExactlyElementsOf(all).hasSize(3);
        }
        get(Map.of("post", postUri)).then().statusCode(200).body("$", not(hasKey("cursor")));
    }

    @Test
    void anAuthenticatedViewerSeesTheirVotes() {
        given().header("Authorization", ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, NSID))
                .queryParam("post", postUri).queryParam("sort", "new")
                .when().get("/xrpc/" + NSID)
                .then().statusCode(200)
                .body("comments[2].comment.uri", equalTo(c2))
                .body("comments[2].comment.viewer.vote", equalTo("down"))
                .body("comments[2].comment.viewer.voteUri", equalTo(aliceVoteOnC2))
                .body("comments[1].comment.viewer", equalTo(Map.of()))
                .body("comments[0].comment", not(hasKey("viewer")));
        given().header("Authorization", ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, "social.coves.feed.getDiscover"))
                .queryParam("post", postUri).when().get("/xrpc/" + NSID)
                .then().statusCode(401).body("error", equalTo("BadJwtLexiconMethod"));
    }

    @Test
    void errorsAreXrpcErrors() {
        given().when().get("/xrpc/" + NSID).then().statusCode(400)
                .body("error", equalTo("InvalidRequest")).body("message", containsString("post is required"));
        get(Map.of("post", "https://example.com/x")).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        get(Map.of("post", "at://" + COMMUNITY)).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        get(Map.of("post", "at://" + COMMUNITY + "/" + POST + "/3zzzzzzzzzzzz")).then().statusCode(404)
                .body("error", equalTo("NotFound"));
        get(Map.of("post", postUri, "sort", "best")).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        // the lexicon: timeframe is for top and ignored with other sorts (hot is the default sort)
        get(Map.of("post", postUri, "sort", "new", "timeframe", "day")).then().statusCode(200);
        get(Map.of("post", postUri, "timeframe", "day")).then().statusCode(200);
        get(Map.of("post", postUri, "sort", "top", "timeframe", "decade")).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        get(Map.of("post", postUri, "depth", -1)).then().statusCode(400).body("message", containsString("depth"));
        get(Map.of("post", postUri, "depth", "deep")).then().statusCode(400).body("message", containsString("depth"));
        get(Map.of("post", postUri, "limit", 0)).then().statusCode(400).body("message", containsString("limit"));
        get(Map.of("post", postUri, "limit", 101)).then().statusCode(400).body("message", containsString("limit"));
        get(Map.of("post", postUri, "cursor", "garbage")).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        String cursor = get(Map.of("post", postUri, "sort", "new", "limit", 1)).jsonPath().getString("cursor");
        get(Map.of("post", postUri, "sort", "top", "cursor", cursor)).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        get(Map.of("post", otherPostUri, "sort", "new", "cursor", cursor)).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        String tampered = cursor.substring(0, 10) + (cursor.charAt(10) == 'A' ? 'B' : 'A') + cursor.substring(11);
        get(Map.of("post", postUri, "sort", "new", "cursor", tampered)).then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void everyLevelIsOneIndexWalkByParent() {
        for (FeedSort sort : FeedSort.values()) {
            String index = "comments_parent_" + sort.key();
            String plan = explain(ThreadQueries.levelSql(sort), Tuple.of(new String[] {c1, c2, c3}, 6));
            assertThat(plan).as(sort + " level query").contains(index).doesNotContain("Seq Scan on comments");
            String top = explain(ThreadQueries.topLevelSql(sort), Tuple.of(postUri, 51));
            assertThat(top).as(sort + " top level").contains(index).doesNotContain("Sort ");
        }
    }

    private String explain(String sql, Tuple args) {
        return pool.withTransaction(conn -> conn.query("SET LOCAL enable_seqscan = off").execute()
                .chain(() -> conn.preparedQuery("EXPLAIN " + sql).execute(args))).map(rows -> {
                    StringBuilder sb = new StringBuilder();
                    for (Row row : rows) {
                        sb.append(row.getString(0)).append('\n');
                    }
                    return sb.toString();
                }).await().indefinitely();
    }
}
