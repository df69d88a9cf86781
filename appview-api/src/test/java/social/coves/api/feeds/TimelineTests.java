package social.coves.api.feeds;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
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

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Authenticated reads: real ES256K/ES256 service-auth JWTs, keys published in DID documents by a local PLC stand-in
 * and resolved by the real identity-service; data seeded through the real indexer.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class TimelineTests {

    static final String APPVIEW = "did:web:localhost";
    static final String TIMELINE = "social.coves.feed.getTimeline";
    static final String DISCOVER = "social.coves.feed.getDiscover";
    static final String POST = "social.coves.community.post";
    static final String T1 = "did:plc:timelinecommunityoneaaaa";
    static final String T2 = "did:plc:timelinecommunitytwoaaaa";
    static final String T3 = "did:plc:timelinecommunitythreeaa";
    static final String ALICE = "did:plc:timelinealiceaaaaaaaaaaa";
    static final String BOB = "did:plc:timelinebobaaaaaaaaaaaaa";
    static final String CAROL = "did:plc:timelinecarolaaaaaaaaaaa";
    /** Busier than a community head holds (coves.api.timeline.head-size, 50): deep pages walk it in SQL. */
    static final String BUSY = "did:plc:timelinecommunitybusyaaa";
    static final int BUSY_POSTS = 120;
    static final SigningKey ALICE_KEY = SigningKey.generate(KeyAlgorithm.ES256K);
    static final SigningKey BOB_KEY = SigningKey.generate(KeyAlgorithm.ES256);
    static final SigningKey CAROL_KEY = SigningKey.generate(KeyAlgorithm.ES256K);
    static final Instant NOW = Instant.now();

    static boolean seeded;
    static String a, b, c, d, aliceVoteOnC;
    static final List<String> busyNewestFirst = new ArrayList<>();

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        RunningIdentityService.get().plc().publish(ALICE, "alice.coves.test", ALICE_KEY);
        RunningIdentityService.get().plc().publish(BOB, "bob.coves.test", BOB_KEY);
        RunningIdentityService.get().plc().publish(CAROL, "carol.coves.test", CAROL_KEY);
        List<EventEnvelope> events = new ArrayList<>();
        for (String community : List.of(T1, T2, T3, BUSY)) {
            events.add(Events.create(community, "social.coves.community.profile", "self",
                    Events.community("tl" + community.substring(community.length() - 5), NOW.minus(Duration.ofDays(9)))));
        }
        a = post(events, T1, "a", NOW.minus(Duration.ofMinutes(40)));
        b = post(events, T1, "b, downvoted", NOW.minus(Duration.ofMinutes(30)));
        c = post(events, T2, "c", NOW.minus(Duration.ofMinutes(20)));
        d = post(events, T3, "d", NOW.minus(Duration.ofMinutes(10)));
        events.add(Events.create("did:plc:timelinedownvoteraaaaaaa", "social.coves.feed.vote", Events.tid(),
                Events.vote(b, Events.cid("b"), "down")));
        String voteRkey = Events.tid();
        events.add(Events.create(ALICE, "social.coves.feed.vote", voteRkey, Events.vote(c, Events.cid("c"), "up")));
        aliceVoteOnC = "at://" + ALICE + "/social.coves.feed.vote/" + voteRkey;
        events.add(Events.create(ALICE, "social.coves.community.subscription", Events.tid(), Events.subscription(T1, 3)));
        events.add(Events.create(ALICE, "social.coves.community.subscription", Events.tid(), Events.subscription(T2, 5)));
        events.add(Events.create(ALICE, "social.coves.community.block", Events.tid(), Events.block(T3)));
        events.add(Events.create(BOB, "social.coves.community.subscription", Events.tid(), Events.subscription(T1, 5)));
        events.add(Events.create(BOB, "social.coves.community.subscription", Events.tid(), Events.subscription(T3, 5)));
        events.add(Events.create(BOB, "social.coves.community.block", Events.tid(), Events.block(T3)));
        for (int i = 0; i < BUSY_POSTS; i++) { // one a minute, from 35 minutes ago back: interleaved with a and b
            busyNewestFirst.add(post(events, BUSY, "busy " + i, NOW.minus(Duration.ofMinutes(35 + i)).minusSeconds(30)));
        }
        events.add(Events.create(CAROL, "social.coves.community.subscription", Events.tid(), Events.subscription(BUSY, 5)));
        events.add(Events.create(CAROL, "social.coves.community.subscription", Events.tid(), Events.subscription(T1, 5)));
        RunningIndexer.get().index(events);
        seeded = true;
    }

    private static String post(List<EventEnvelope> events, String community, String title, Instant at) {
        String rkey = Events.tid();
        events.add(Events.create(community, POST, rkey, Events.post(community, "did:plc:timelineauthoraaaaaaaaaa", title, at)));
        return "at://" + community + "/" + POST + "/" + rkey;
    }

    private static List<String> feed(String nsid, String authorization) {
        return feed(nsid, "new", authorization);
    }

    private static List<String> feed(String nsid, String sort, String authorization) {
        var request = given().queryParam("sort", sort).queryParam("timeframe", "all").queryParam("limit", 50);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.when().get("/xrpc/" + nsid).then().statusCode(200).extract().jsonPath().getList("feed.post.uri");
    }

    /** Every page of a feed (other test classes' posts share the database). */
    private static List<String> wholeFeed(String nsid, String sort, String authorization) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("sort", sort).queryParam("timeframe", "all").queryParam("limit", 50);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.when().get("/xrpc/" + nsid).then().statusCode(200).extract().jsonPath();
            all.addAll(page.getList("feed.post.uri"));
            cursor = page.getString("cursor");
        } while (cursor != null && all.size() < 20_000);
        return all;
    }

    @Test
    void theTimelineHoldsSubscribedCommunitiesFilteredByContentVisibility() {
        // alice: T1 at visibility 3 (hides the net-downvoted b), T2 at 5; bob: T1 at 5 (ES256 key), and T3, which he blocks
        assertThat(feed(TIMELINE, ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, TIMELINE))).containsExactly(c, a);
        assertThat(feed(TIMELINE, ServiceJwts.bearer(BOB_KEY, BOB, APPVIEW + "#coves_appview", TIMELINE))).containsExactly(b, a);
    }

    @Test
    void theViewersOwnVoteIsOnThePost() {
        given().header("Authorization", ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, TIMELINE)).queryParam("sort", "new")
                .when().get("/xrpc/" + TIMELINE)
                .then().statusCode(200)
                .body("feed[0].post.uri", equalTo(c))
                .body("feed[0].post.viewer.vote", equalTo("up"))
                .body("feed[0].post.viewer.voteUri", equalTo(aliceVoteOnC))
                .body("feed[1].post.viewer", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void discoverLeavesOutCommunitiesTheViewerBlocked() {
        for (String sort : List.of("hot", "top", "new")) {
            assertThat(wholeFeed(DISCOVER, sort, null)).as(sort).contains(a, b, c, d);
            assertThat(wholeFeed(DISCOVER, sort, ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, DISCOVER))).as(sort)
                    .contains(a, b, c).doesNotContain(d);
        }
    }

    @Test
    void everyTimelineSortPagesThroughTheSamePostsOnce() {
        String alice = ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, TIMELINE);
        String bob = ServiceJwts.bearer(BOB_KEY, BOB, APPVIEW, TIMELINE);
        assertThat(feed(TIMELINE, "top", alice)).as("alice's upvote puts c first").containsExactly(c, a);
        assertThat(feed(TIMELINE, "top", bob)).containsExactly(a, b);
        for (String sort : List.of("hot", "top", "new")) {
            for (String viewer : List.of(alice, bob)) {
                List<String> onePage = feed(TIMELINE, sort, viewer);
                List<String> walked = new ArrayList<>();
                String cursor = null;
                do {
                    var request = given().header("Authorization", viewer).queryParam("sort", sort).queryParam("timeframe", "all")
                            .queryParam("limit", 1);
                    if (cursor != null) {
                        request.queryParam("cursor", cursor);
                    }
                    var page = request.when().get("/xrpc/" + TIMELINE).then().statusCode(200).extract().jsonPath();
                    walked.addAll(page.getList("feed.post.uri"));
                    cursor = page.getString("cursor");
                } while (cursor != null && walked.size() < 10);
                assertThat(walked).as(sort).hasSize(2).containsExactlyElementsOf(onePage);
            }
        }
    }

    @Test
    void aBusyCommunityPagesPastItsHeadWithoutGapsOrRepeatsWhileNewPostsArrive() {
        String carol = ServiceJwts.bearer(CAROL_KEY, CAROL, APPVIEW, TIMELINE);
        List<String> expected = new ArrayList<>(busyNewestFirst);
        expected.add(5, a); // a: 40 min ago, after the busy posts of 35.5 … 39.5 min ago
        expected.add(0, b); // b: 30 min ago, newer than every busy post
        List<String> walked = new ArrayList<>();
        String cursor = null;
        String late = null;
        do {
            var request = given().header("Authorization", carol).queryParam("sort", "new").queryParam("limit", 7);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.when().get("/xrpc/" + TIMELINE).then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("feed.post.uri"));
            cursor = page.getString("cursor");
            if (late == null && walked.size() > 60) { // a new post lands above the cursor: the rest of the walk is unchanged
                List<EventEnvelope> news = new ArrayList<>();
                late = post(news, BUSY, "late", NOW.minus(Duration.ofMinutes(25)));
                RunningIndexer.get().index(news);
            }
        } while (cursor != null && walked.size() < 500);
        assertThat(walked).containsExactlyElementsOf(expected);
        String newest = late;
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(given().header("Authorization", carol)
                .queryParam("sort", "new").when().get("/xrpc/" + TIMELINE).then().statusCode(200).extract().jsonPath()
                .getList("feed.post.uri", String.class)).as("the new post reaches the timeline once the heads expire").startsWith(newest, b));
    }

    @Test
    void badTokensAre401WithTheReason() {
        String wrongAud = ServiceJwts.bearer(ALICE_KEY, ALICE, "did:web:other.example", TIMELINE);
        given().header("Authorization", wrongAud).when().get("/xrpc/" + TIMELINE)
                .then().statusCode(401).body("error", equalTo("BadJwtAudience"));
        String wrongMethod = ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, DISCOVER);
        given().header("Authorization", wrongMethod).when().get("/xrpc/" + TIMELINE)
                .then().statusCode(401).body("error", equalTo("BadJwtLexiconMethod"));
        String unknownIssuer = ServiceJwts.bearer(ALICE_KEY, "did:plc:nobodynobodynobodynobody", APPVIEW, TIMELINE);
        given().header("Authorization", unknownIssuer).when().get("/xrpc/" + TIMELINE)
                .then().statusCode(401).body("error", equalTo("BadJwtIss"));
        String signedByBob = ServiceJwts.bearer(BOB_KEY, ALICE, APPVIEW, TIMELINE);
        given().header("Authorization", signedByBob).when().get("/xrpc/" + TIMELINE)
                .then().statusCode(401).body("error", equalTo("BadJwtSignature"));
        String expired = ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, TIMELINE, p -> p.put("exp", Instant.now().getEpochSecond() - 120));
        given().header("Authorization", expired).when().get("/xrpc/" + TIMELINE)
                .then().statusCode(401).body("error", equalTo("JwtExpired"));
        given().header("Authorization", "DPoP " + wrongAud.substring(7)).when().get("/xrpc/" + TIMELINE)
                .then().statusCode(401).body("error", equalTo("BadJwtType")).body("message", containsString("atproto-proxy"));
        String oauthTyped = ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, TIMELINE, h -> h.put("typ", "at+jwt"), c -> { }, false);
        given().header("Authorization", oauthTyped).when().get("/xrpc/" + TIMELINE)
                .then().statusCode(401).body("error", equalTo("BadJwtType")).body("message", containsString("getServiceAuth"));
        String futureIat = ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, TIMELINE, p -> p.put("iat", Instant.now().getEpochSecond() + 300));
        given().header("Authorization", futureIat).when().get("/xrpc/" + TIMELINE)
                .then().statusCode(401).body("error", equalTo("BadJwt")).body("message", containsString("iat is in the future"));
        String highS = ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, TIMELINE, h -> { }, c -> { }, true);
        given().header("Authorization", highS).when().get("/xrpc/" + TIMELINE)
                .then().statusCode(401).body("error", equalTo("BadJwtSignature")).body("message", containsString("low-S"));
        // alice's #atproto key is K-256: a token that claims ES256 (P-256) cannot be hers
        String wrongCurve = ServiceJwts.bearer(BOB_KEY, ALICE, APPVIEW, TIMELINE);
        given().header("Authorization", wrongCurve).when().get("/xrpc/" + TIMELINE)
                .then().statusCode(401).body("error", equalTo("BadJwtSignature")).body("message", containsString("does not match"));
    }
}
