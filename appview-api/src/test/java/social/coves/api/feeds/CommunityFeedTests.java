package social.coves.api.feeds;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.Events;
import social.coves.api.support.RunningIndexer;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.testing.PostgresResource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Community feed and discover over data indexed by the real indexer. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
class CommunityFeedTests {

    static final String POST = "social.coves.community.post";
    static final String COMMUNITY = "did:plc:feedcommunityaaaaaaaaaaa";
    static final String OTHER = "did:plc:feedcommunitybbbbbbbbbbb";
    static final String AUTHOR = "did:plc:feedauthoraaaaaaaaaaaaaa";
    /** Posts of one age each, the older the more up-votes, for the top timeframes. */
    static final String AGES = "did:plc:feedcommunityccccccccccc";
    static final Instant NOW = Instant.now();

    static boolean seeded;
    static String p1, p2, p3, p4, q1;
    static String halfHour, twoDays, tenDays, twoMonths, overAYear;

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        List<EventEnvelope> events = new ArrayList<>();
        events.add(Events.identity(COMMUNITY, "c-feeds.coves.test"));
        events.add(Events.identity(OTHER, "c-others.coves.test"));
        events.add(Events.identity(AUTHOR, "author.coves.test"));
        events.add(Events.create(COMMUNITY, "social.coves.community.profile", "self", Events.community("feeds", NOW.minus(Duration.ofDays(30)))));
        events.add(Events.create(OTHER, "social.coves.community.profile", "self", Events.community("others", NOW.minus(Duration.ofDays(30)))));
        p1 = post(events, COMMUNITY, "three days old, ten up", NOW.minus(Duration.ofDays(3)), 10, 0);
        p2 = post(events, COMMUNITY, "two hours old, five up", NOW.minus(Duration.ofHours(2)), 5, 0);
        p3 = post(events, COMMUNITY, "ten minutes old, one down", NOW.minus(Duration.ofMinutes(10)), 0, 1);
        p4 = post(events, COMMUNITY, "one minute old", NOW.minus(Duration.ofMinutes(1)), 0, 0);
        q1 = post(events, OTHER, "elsewhere", NOW.minus(Duration.ofMinutes(5)), 2, 0);
        events.add(Events.create(AGES, "social.coves.community.profile", "self", Events.community("ages", NOW.minus(Duration.ofDays(500)))));
        halfHour = post(events, AGES, "half an hour", NOW.minus(Duration.ofMinutes(30)), 1, 0);
        twoDays = post(events, AGES, "two days", NOW.minus(Duration.ofDays(2)), 2, 0);
        tenDays = post(events, AGES, "ten days", NOW.minus(Duration.ofDays(10)), 3, 0);
        twoMonths = post(events, AGES, "two months", NOW.minus(Duration.ofDays(60)), 4, 0);
        overAYear = post(events, AGES, "over a year", NOW.minus(Duration.ofDays(400)), 5, 0);
        RunningIndexer.get().index(events);
        seeded = true;
    }

    private static String post(List<EventEnvelope> events, String community, String title, Instant createdAt, int up, int down) {
        String rkey = Events.tid();
        EventEnvelope created = Events.create(community, POST, rkey, Events.post(community, AUTHOR, title, createdAt));
        events.add(created);
        String uri = "at://" + community + "/" + POST + "/" + rkey;
        for (int i = 0; i < up + down; i++) {
            String voter = "did:plc:voter" + "abcdefghijklmnopqrs".charAt(i) + "aaaaaaaaaaaaaaaaaa";
            events.add(Events.create(voter, "social.coves.feed.vote", Events.tid(),
                    Events.vote(uri, created.commit().cid(), i < up ? "up" : "down")));
        }
        return uri;
    }

    private static List<String> uris(Response response) {
        return response.then().statusCode(200).extract().jsonPath().getList("feed.post.uri");
    }

    private static Response feed(String sort, String timeframe, Integer limit, String cursor) {
        var request = given().queryParam("community", COMMUNITY);
        if (sort != null) request.queryParam("sort", sort);
        if (timeframe != null) request.queryParam("timeframe", timeframe);
        if (limit != null) request.queryParam("limit", limit);
        if (cursor != null) request.queryParam("cursor", cursor);
        return request.when().get("/xrpc/social.coves.feed.getCommunity");
    }

    @Test
    void eachSortWalksItsOwnOrder() {
        assertThat(uris(feed("new", null, null, null))).containsExactly(p4, p3, p2, p1);
        assertThat(uris(feed(null, null, null, null))).as("hot is the default").containsExactly(p2, p4, p3, p1);
        assertThat(uris(feed("top", null, null, null))).as("top defaults to the last day").containsExactly(p2, p4, p3);
        assertThat(uris(feed("top", "all", null, null))).containsExactly(p1, p2, p4, p3);
        assertThat(uris(feed("top", "hour", null, null))).containsExactly(p4, p3);
    }

    @Test
    void topHonoursEveryTimeframe() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("hour", List.of(halfHour));
        expected.put("day", List.of(halfHour));
        expected.put("week", List.of(twoDays, halfHour));
        expected.put("month", List.of(tenDays, twoDays, halfHour));
        expected.put("year", List.of(twoMonths, tenDays, twoDays, halfHour));
        expected.put("all", List.of(overAYear, twoMonths, tenDays, twoDays, halfHour));
        expected.forEach((timeframe, posts) -> assertThat(uris(given().queryParam("community", AGES).queryParam("sort", "top")
                .queryParam("timeframe", timeframe).when().get("/xrpc/social.coves.feed.getCommunity"))).as(timeframe)
                .containsExactlyElementsOf(posts));
        assertThat(uris(given().queryParam("community", AGES).queryParam("sort", "new").queryParam("timeframe", "hour")
                .when().get("/xrpc/social.coves.feed.getCommunity"))).as("timeframes apply to top only").hasSize(5);
    }

    @Test
    void aPostViewCarriesRecordAuthorCommunityAndStats() {
        feed("top", "all", 1, null).then().statusCode(200)
                .body("feed[0].post.uri", equalTo(p1))
                .body("feed[0].post.author.did", equalTo(AUTHOR))
                .body("feed[0].post.author.handle", equalTo("author.coves.test"))
                .body("feed[0].post.community.did", equalTo(COMMUNITY))
                .body("feed[0].post.community.handle", equalTo("c-feeds.coves.test"))
                .body("feed[0].post.community.name", equalTo("feeds"))
                .body("feed[0].post.record.$type", equalTo(POST))
                .body("feed[0].post.record.title", equalTo("three days old, ten up"))
                .body("feed[0].post.stats.upvotes", equalTo(10))
                .body("feed[0].post.stats.score", equalTo(10))
                .body("feed[0].post.stats.commentCount", equalTo(0))
                .body("feed[0].post.viewer", nullValue());
    }

    @Test
    void cursorsWalkEveryPostOnceEvenWhenNewPostsArrive() {
        for (String sort : List.of("hot", "top", "new")) {
            List<String> onePage = uris(feed(sort, "all", 50, null));
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Response page = feed(sort, "all", 1, cursor);
                seen.addAll(uris(page));
                cursor = page.jsonPath().getString("cursor");
                pages++;
                if (pages == 2 && sort.equals("new")) {
                    // a newer post arriving mid-walk must not shift the pages still to come
                    List<EventEnvelope> late = new ArrayList<>();
                    post(late, COMMUNITY, "late arrival", Instant.now(), 0, 0);
                    RunningIndexer.get().index(late);
                }
            } while (cursor != null && pages < 20);
            assertThat(seen).as("%s walked one post per page", sort).containsExactlyElementsOf(onePage).contains(p1, p2, p3, p4);
        }
    }

    @Test
    void postGetAnswersInTheOrderAskedWithNotFoundEntries() {
        String missing = "at://" + COMMUNITY + "/" + POST + "/3aaaaaaaaaaaa";
        given().queryParam("uris", p2).queryParam("uris", missing).queryParam("uris", p1)
                .when().get("/xrpc/social.coves.community.post.get")
                .then().statusCode(200)
                .body("posts[0].uri", equalTo(p2))
                .body("posts[0].$type", equalTo("social.coves.community.post.get#postView"))
                .body("posts[0].stats.upvotes", equalTo(5))
                .body("posts[1].uri", equalTo(missing))
                .body("posts[1].$type", equalTo("social.coves.community.post.get#notFoundPost"))
                .body("posts[1].notFound", equalTo(true))
                .body("posts[2].record.title", equalTo("three days old, ten up"));
        given().when().get("/xrpc/social.coves.community.post.get").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().queryParam("uris", "https://example.com").when().get("/xrpc/social.coves.community.post.get")
                .then().statusCode(400).body("message", equalTo("not an AT-URI: https://example.com"));
    }

    @Test
    void discoverSpansCommunities() {
        List<String> discover = uris(given().queryParam("sort", "top").queryParam("timeframe", "all")
                .when().get("/xrpc/social.coves.feed.getDiscover"));
        assertThat(discover).contains(p1, q1);
        assertThat(discover.indexOf(p1)).isLessThan(discover.indexOf(q1));
    }

    @Test
    void theCovesAliasServesTheSameFeed() {
        assertThat(uris(given().queryParam("community", "c-feeds.coves.test").queryParam("sort", "new")
                .when().get("/xrpc/social.coves.communityFeed.getCommunity"))).startsWith(uris(feed("new", null, null, null)).getFirst());
    }

    @Test
    void badRequestsAreXrpcErrors() {
        feed("sideways", null, null, null).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        feed("top", "decade", null, null).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        feed("new", null, 51, null).then().statusCode(400).body("message", equalTo("limit must be between 1 and 50"));
        feed("new", null, null, "not-a-cursor").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        String topCursor = feed("top", "all", 1, null).jsonPath().getString("cursor");
        feed("new", null, null, topCursor).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().queryParam("community", "did:plc:nosuchcommunityaaaaaaaaa").when().get("/xrpc/social.coves.feed.getCommunity")
                .then().statusCode(404).body("error", equalTo("CommunityNotFound"));
        given().when().get("/xrpc/social.coves.feed.getCommunity").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().when().get("/xrpc/social.coves.feed.getTimeline").then().statusCode(401).body("error", equalTo("AuthenticationRequired"));
    }

    /**
     * Identical anonymous reads at once share one query and one body (SharedReads): every client gets the same 200 JSON
     * as a read on its own, and an error (here an unknown community) reaches each of them as its own XRPC error.
     */
    @Test
    void identicalAnonymousReadsAtOnceGetTheSameAnswer() throws Exception {
        String alone = feed("new", null, null, null).then().statusCode(200).extract().asString();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + RestAssured.port + "/xrpc/social.coves.feed.getCommunity?community=";
        List<CompletableFuture<HttpResponse<String>>> feeds = new ArrayList<>(), missing = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            feeds.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + COMMUNITY + "&sort=new")).build(), BodyHandlers.ofString()));
            missing.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "did:plc:nosuchcommunityzzzzzzzzz")).build(),
                    BodyHandlers.ofString()));
        }
        for (var f : feeds) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(r.body()).isEqualTo(alone);
        }
        for (var f : missing) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"error\":\"CommunityNotFound\",\"message\":\"community not found: did:plc:nosuchcommunityzzzzzzzzz\"}");
        }
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("coves_api_shared_reads_total{method=\"getCommunity\",result=\"loaded\"}");
    }

    /**
     * A feed checks its community first ({@code CommunityQueries.resolveDid}): one not found is not remembered, so its
     * feed serves the moment it is indexed; one found is kept until it changes, and a deactivation of its account
     * reaches the feed with the change notice.
     */
    @Test
    void aCommunityNotFoundIsAskedAgainAndADeactivationReachesItsFeed() {
        String late = "did:plc:feedcommunitylateaaaaaaaa";
        given().queryParam("community", late).when().get("/xrpc/social.coves.feed.getCommunity")
                .then().statusCode(404).body("error", equalTo("CommunityNotFound"));
        List<EventEnvelope> events = new ArrayList<>();
        events.add(Events.identity(late, "c-late.coves.test"));
        events.add(Events.create(late, "social.coves.community.profile", "self", Events.community("late", NOW.minus(Duration.ofDays(1)))));
        String only = post(events, late, "arrived after a 404", NOW.minus(Duration.ofMinutes(3)), 0, 0);
        RunningIndexer.get().index(events);
        assertThat(uris(given().queryParam("community", late).when().get("/xrpc/social.coves.feed.getCommunity")))
                .containsExactly(only);

        RunningIndexer.get().index(List.of(Events.account(late, false, "deactivated")));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().queryParam("community", late).when().get("/xrpc/social.coves.feed.getCommunity")
                        .then().statusCode(404).body("error", equalTo("CommunityNotFound")));
    }
}
