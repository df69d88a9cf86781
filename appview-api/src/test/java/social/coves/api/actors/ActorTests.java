package social.coves.api.actors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
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
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** {@code social.coves.actor.getProfile} (and {@code getprofile}), {@code getPosts}, {@code getComments}. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class ActorTests {

    static final String APPVIEW = "did:web:localhost";
    static final String POST = "social.coves.community.post";
    static final String COMMENT = "social.coves.community.comment";
    static final String GARDEN = "did:plc:actorsgardenaaaaaaaaaaaa";
    static final String BIKES = "did:plc:actorsbikesaaaaaaaaaaaaa";
    static final String CAROL = "did:plc:actorscarolaaaaaaaaaaaaa";
    static final String DAVE = "did:plc:actorsdaveaaaaaaaaaaaaaa";
    static final String QUIET = "did:plc:actorsquietaaaaaaaaaaaaa";
    static final SigningKey DAVE_KEY = SigningKey.generate(KeyAlgorithm.ES256);
    static final Instant NOW = Instant.now();

    static boolean seeded;

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;
    static String p1, p2, p3, p4, daveVoteOnP3, k1, k2, k3, daveVoteOnK2;

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        RunningIdentityService.get().plc().publish(DAVE, "dave.actors.test", DAVE_KEY);
        List<EventEnvelope> events = new ArrayList<>();
        events.add(Events.identity(GARDEN, "c-garden.coves.test"));
        events.add(Events.identity(BIKES, "c-bikes.coves.test"));
        events.add(Events.identity(CAROL, "carol.actors.test"));
        events.add(Events.identity(DAVE, "dave.actors.test"));
        events.add(Events.identity(QUIET, "quiet.actors.test"));
        events.add(Events.create(GARDEN, "social.coves.community.profile", "self", Events.community("garden", NOW.minus(Duration.ofDays(5)))));
        events.add(Events.create(BIKES, "social.coves.community.profile", "self", Events.community("bikes", NOW.minus(Duration.ofDays(5)))));
        events.add(Events.create(CAROL, "social.coves.actor.profile", "self", JsonNodeFactory.instance.objectNode()
                .put("$type", "social.coves.actor.profile").put("displayName", "Carol").put("bio", "grows tomatoes")
                .put("createdAt", NOW.minus(Duration.ofDays(4)).toString())));
        p1 = post(events, GARDEN, "p1 garden", NOW.minus(Duration.ofHours(4)), false);
        p2 = post(events, BIKES, "p2 bikes, with a link", NOW.minus(Duration.ofHours(3)), true);
        p3 = post(events, GARDEN, "p3 garden, newest", NOW.minus(Duration.ofHours(1)), false);
        p4 = post(events, GARDEN, "p4 deleted", NOW.minus(Duration.ofMinutes(30)), false);
        events.add(Events.delete(GARDEN, POST, p4.substring(p4.lastIndexOf('/') + 1)));
        k1 = comment(events, CAROL, p1, "k1 on garden", NOW.minus(Duration.ofMinutes(50)));
        k2 = comment(events, CAROL, p2, "k2 on bikes", NOW.minus(Duration.ofMinutes(40)));
        k3 = comment(events, CAROL, p3, "k3 deleted", NOW.minus(Duration.ofMinutes(30)));
        events.add(Events.delete(CAROL, COMMENT, k3.substring(k3.lastIndexOf('/') + 1)));
        comment(events, DAVE, p1, "dave's, not carol's", NOW.minus(Duration.ofMinutes(20)));
        events.add(Events.create(CAROL, "social.coves.community.subscription", Events.tid(), Events.subscription(GARDEN, 3)));
        events.add(Events.create(CAROL, "social.coves.community.subscription", Events.tid(), Events.subscription(GARDEN, 4)));
        events.add(Events.create(CAROL, "social.coves.community.subscription", Events.tid(), Events.subscription(BIKES, 3)));
        String voteRkey = Events.tid();
        events.add(Events.create(DAVE, "social.coves.feed.vote", voteRkey, Events.vote(p3, Events.cid("p3"), "up")));
        daveVoteOnP3 = "at://" + DAVE + "/social.coves.feed.vote/" + voteRkey;
        String commentVoteRkey = Events.tid();
        events.add(Events.create(DAVE, "social.coves.feed.vote", commentVoteRkey, Events.vote(k2, Events.cid("k2"), "down")));
        daveVoteOnK2 = "at://" + DAVE + "/social.coves.feed.vote/" + commentVoteRkey;
        RunningIndexer.get().index(events);
        seeded = true;
    }

    private static String post(List<EventEnvelope> events, String community, String title, Instant at, boolean link) {
        String rkey = Events.tid();
        ObjectNode record = Events.post(community, CAROL, title, at);
        if (link) {
            record.putObject("embed").put("$type", "social.coves.embed.external").putObject("external")
                    .put("uri", "https://example.com/bikes").put("title", "bikes");
        }
        events.add(Events.create(community, POST, rkey, record));
        return "at://" + community + "/" + POST + "/" + rkey;
    }

    private static String comment(List<EventEnvelope> events, String author, String postUri, String text, Instant at) {
        String rkey = Events.tid();
        String cid = events.stream().filter(e -> e.commit() != null && postUri.endsWith("/" + e.commit().rkey())).findFirst()
                .orElseThrow().commit().cid();
        events.add(Events.create(author, COMMENT, rkey, Events.comment(postUri, cid, postUri, cid, text, at)));
        return "at://" + author + "/" + COMMENT + "/" + rkey;
    }

    private static Response get(String nsid, Map<String, Object> params) {
        return given().queryParams(params).when().get("/xrpc/" + nsid);
    }

    @Test
    void theProfileCarriesNamesAndLiveCounts() {
        for (String actor : List.of(CAROL, "carol.actors.test", "@Carol.Actors.Test")) {
            for (String nsid : List.of("social.coves.actor.getProfile", "social.coves.actor.getprofile")) {
                get(nsid, Map.of("actor", actor)).then().statusCode(200)
                        .body("did", equalTo(CAROL))
                        .body("handle", equalTo("carol.actors.test"))
                        .body("displayName", equalTo("Carol"))
                        .body("bio", equalTo("grows tomatoes"))
                        .body("description", equalTo("grows tomatoes"))
                        .body("createdAt", endsWith("Z"))
                        .body("stats.postCount", equalTo(3))
                        .body("stats.commentCount", equalTo(2))
                        .body("stats.communityCount", equalTo(2))
                        .body("stats.reputation", equalTo(0))
                        .body("stats.membershipCount", equalTo(0));
            }
        }
        get("social.coves.actor.getProfile", Map.of("actor", QUIET)).then().statusCode(200)
                .body("handle", equalTo("quiet.actors.test")).body("$", not(hasKey("displayName")))
                .body("stats.postCount", equalTo(0)).body("stats.communityCount", equalTo(0));
    }

    /**
     * A post indexed before its community (or after the community's profile was deleted) has no view: the lexicon's
     * {@code communityRef} requires the community's name. It is kept, and shown once its community is indexed.
     */
    @Test
    void aPostWhoseCommunityIsNotIndexedIsShownOnceItIs() {
        String community = "did:plc:actorslatecommunityaaaaa";
        String author = "did:plc:actorslateauthoraaaaaaaa";
        String rkey = Events.tid();
        String uri = "at://" + community + "/" + POST + "/" + rkey;
        RunningIndexer.get().index(List.of(Events.identity(author, "late-author.actors.test"),
                Events.create(community, POST, rkey, Events.post(community, author, "before its community", NOW.minus(Duration.ofMinutes(10))))));

        get("social.coves.actor.getPosts", Map.of("actor", author)).then().statusCode(200).body("feed", empty());
        get("social.coves.community.post.get", Map.of("uris", uri)).then().statusCode(200)
                .body("posts[0].notFound", equalTo(true));

        RunningIndexer.get().index(List.of(Events.create(community, "social.coves.community.profile", "self",
                Events.community("late", NOW.minus(Duration.ofDays(1))))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                get("social.coves.actor.getPosts", Map.of("actor", author)).then().statusCode(200)
                        .body("feed.post.uri", contains(uri)).body("feed[0].post.community.name", equalTo("late")));
        get("social.coves.community.post.get", Map.of("uris", uri)).then().statusCode(200)
                .body("posts[0].uri", equalTo(uri)).body("posts[0].community.name", equalTo("late"));
    }

    @Test
    void profileErrors() {
        get("social.coves.actor.getProfile", Map.of()).then().statusCode(400).body("error", equalTo("InvalidRequest"))
                .body("message", containsString("actor is required"));
        get("social.coves.actor.getProfile", Map.of("actor", "not a handle!")).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        get("social.coves.actor.getProfile", Map.of("actor", "did:PLC:upper")).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        get("social.coves.actor.getProfile", Map.of("actor", "did:plc:UPPER")).then().statusCode(404)   // generic DID syntax: just unknown
                .body("error", equalTo("ProfileNotFound"));
        get("social.coves.actor.getprofile", Map.of("actor", "did:plc:actorsnobodyaaaaaaaaaaaa")).then().statusCode(404)
                .body("error", equalTo("ProfileNotFound"));
        get("social.coves.actor.getProfile", Map.of("actor", "nobody.actors.test")).then().statusCode(404)
                .body("error", equalTo("ProfileNotFound"));
    }

    @Test
    void getPostsListsLivePostsNewestFirstWithFilters() {
        assertThat(uris(get("social.coves.actor.getPosts", Map.of("actor", CAROL)))).containsExactly(p3, p2, p1);
        assertThat(uris(get("social.coves.actor.getPosts", Map.of("actor", "carol.actors.test", "filter", "posts_no_replies"))))
                .containsExactly(p3, p2, p1);
        assertThat(uris(get("social.coves.actor.getPosts", Map.of("actor", CAROL, "filter", "posts_with_media")))).containsExactly(p2);
        assertThat(uris(get("social.coves.actor.getPosts", Map.of("actor", CAROL, "community", "!garden@coves.test")))).containsExactly(p3, p1);
        assertThat(uris(get("social.coves.actor.getPosts", Map.of("actor", DAVE)))).isEmpty();
        get("social.coves.actor.getPosts", Map.of("actor", CAROL, "filter", "posts_with_media")).then()
                .body("feed[0].post.author.did", equalTo(CAROL))
                .body("feed[0].post.community.did", equalTo(BIKES))
                .body("feed[0].post.embed.external.uri", equalTo("https://example.com/bikes"))
                .body("feed[0].post.record.embed.$type", equalTo("social.coves.embed.external"))
                .body("$", not(hasKey("cursor")));
    }

    @Test
    void getPostsWalksWithCursorsAndShowsTheViewersVote() {
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("actor", CAROL).queryParam("limit", 1);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.when().get("/xrpc/social.coves.actor.getPosts");
            walked.addAll(uris(page));
            cursor = page.jsonPath().getString("cursor");
        } while (cursor != null && ++pages < 10);
        assertThat(walked).containsExactly(p3, p2, p1);
        given().header("Authorization", ServiceJwts.bearer(DAVE_KEY, DAVE, APPVIEW, "social.coves.actor.getPosts"))
                .queryParam("actor", CAROL).when().get("/xrpc/social.coves.actor.getPosts")
                .then().statusCode(200)
                .body("feed[0].post.viewer.vote", equalTo("up"))
                .body("feed[0].post.viewer.voteUri", equalTo(daveVoteOnP3))
                .body("feed[1].post", not(hasKey("viewer")));
    }

    @Test
    void getCommentsListsLiveCommentsNewestFirst() {
        Response all = get("social.coves.actor.getComments", Map.of("actor", "carol.actors.test"));
        all.then().statusCode(200)
                .body("comments.uri", equalTo(List.of(k2, k1)))
                .body("comments[0].author.did", equalTo(CAROL))
                .body("comments[0].author.handle", equalTo("carol.actors.test"))
                .body("comments[0].record.content", equalTo("k2 on bikes"))
                .body("comments[0].post.uri", equalTo(p2))
                .body("comments[0].stats.downvotes", equalTo(1))
                .body("comments[0]", not(hasKey("viewer")))
                .body("$", not(hasKey("cursor")));
        get("social.coves.actor.getComments", Map.of("actor", CAROL, "community", GARDEN)).then().statusCode(200)
                .body("comments.uri", equalTo(List.of(k1)));
        Response first = get("social.coves.actor.getComments", Map.of("actor", CAROL, "limit", 1));
        first.then().statusCode(200).body("comments.uri", equalTo(List.of(k2)));
        get("social.coves.actor.getComments", Map.of("actor", CAROL, "limit", 1, "cursor", first.jsonPath().getString("cursor")))
                .then().statusCode(200).body("comments.uri", equalTo(List.of(k1))).body("$", not(hasKey("cursor")));
        given().header("Authorization", ServiceJwts.bearer(DAVE_KEY, DAVE, APPVIEW, "social.coves.actor.getComments"))
                .queryParam("actor", CAROL).when().get("/xrpc/social.coves.actor.getComments")
                .then().statusCode(200)
                .body("comments[0].viewer.vote", equalTo("down"))
                .body("comments[0].viewer.voteUri", equalTo(daveVoteOnK2))
                .body("comments[1].viewer", equalTo(Map.of()));
    }

    @Test
    void listingErrors() {
        for (String nsid : List.of("social.coves.actor.getPosts", "social.coves.actor.getComments")) {
            get(nsid, Map.of()).then().statusCode(400).body("error", equalTo("InvalidRequest"));
            get(nsid, Map.of("actor", "nobody.actors.test")).then().statusCode(404).body("error", equalTo("NotFound"))
                    .body("message", containsString("actor not found"));
            get(nsid, Map.of("actor", "did:plc:actorsnobodyaaaaaaaaaaaa")).then().statusCode(404).body("error", equalTo("NotFound"));
            get(nsid, Map.of("actor", CAROL, "community", "c-nowhere.coves.test")).then().statusCode(404)
                    .body("error", equalTo("NotFound")).body("message", containsString("community not found"));
            get(nsid, Map.of("actor", CAROL, "community", "!!")).then().statusCode(400).body("error", equalTo("InvalidRequest"));
            get(nsid, Map.of("actor", CAROL, "limit", 0)).then().statusCode(400).body("message", containsString("limit"));
            get(nsid, Map.of("actor", CAROL, "limit", 101)).then().statusCode(400).body("message", containsString("limit"));
            get(nsid, Map.of("actor", CAROL, "limit", "ten")).then().statusCode(400).body("message", containsString("limit"));
            get(nsid, Map.of("actor", CAROL, "cursor", "bm90IGEgY3Vyc29y")).then().statusCode(400).body("error", equalTo("InvalidRequest"));
            String cursor = get(nsid, Map.of("actor", CAROL, "limit", 1)).jsonPath().getString("cursor");
            get(nsid, Map.of("actor", DAVE, "cursor", cursor)).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
        get("social.coves.actor.getPosts", Map.of("actor", CAROL, "filter", "posts_with_cats")).then().statusCode(400)
                .body("error", equalTo("InvalidRequest")).body("message", containsString("filter"));
    }

    @Test
    void listingsWalkTheAuthorIndexes() {
        String posts = explain("SELECT p.uri FROM appview.posts p WHERE p.deleted_at IS NULL AND p.author_did = 'did:plc:x'"
                + " AND (p.created_at, p.uri) < (now(), 'at://z') ORDER BY p.created_at DESC, p.uri DESC LIMIT 51");
        assertThat(posts).contains("posts_author").doesNotContain("Sort ");
        String comments = explain("SELECT c.uri FROM appview.comments c LEFT JOIN appview.actors a ON a.did = c.author_did"
                + " WHERE c.author_did = 'did:plc:x' AND c.deleted_at IS NULL AND a.active IS NOT FALSE"
                + " AND (c.created_at, c.uri) < (now(), 'at://z') ORDER BY c.created_at DESC, c.uri DESC LIMIT 51");
        assertThat(comments).contains("comments_author").doesNotContain("Sort ");
    }

    private String explain(String sql) {
        return pool.withTransaction(conn -> conn.query("SET LOCAL enable_seqscan = off").execute()
                .chain(() -> conn.query("EXPLAIN " + sql).execute())).map(rows -> {
                    StringBuilder sb = new StringBuilder();
                    rows.forEach(row -> sb.append(row.getString(0)).append('\n'));
                    return sb.toString();
                }).await().indefinitely();
    }

    private static List<String> uris(Response r) {
        return r.then().statusCode(200).extract().jsonPath().getList("feed.post.uri");
    }
}
