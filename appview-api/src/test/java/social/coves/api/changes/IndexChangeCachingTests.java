package social.coves.api.changes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.Events;
import social.coves.api.support.IdentityServiceResource;
import social.coves.api.support.RunningIdentityService;
import social.coves.api.support.ServiceJwts;
import social.coves.lexicon.crypto.KeyAlgorithm;
import social.coves.lexicon.crypto.SigningKey;
import social.coves.api.support.RunningIndexer;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.SharedPostgres;

import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Community feed pages and thread pages are kept until the index under them changes: a second read of a page costs no
 * statement, and what the real indexer folds afterwards (a vote, a comment, an author's new name) is in the next
 * read's answer — the notices of the indexer's commits reach the API (channel {@code coves_index_changes}). A change
 * elsewhere leaves a page kept; a viewer's own vote and subscription reach what is remembered of them; when the
 * notices are lost, pages are read from the index until they are back.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class IndexChangeCachingTests {

    static final String POST = "social.coves.community.post";
    static final String COMMUNITY = "did:plc:changescommunityaaaaaaaa";
    static final String OTHER = "did:plc:changesotheraaaaaaaaaaaa";
    static final String AUTHOR = "did:plc:changesauthoraaaaaaaaaaa";
    static final String VOTER = "did:plc:changesvoteraaaaaaaaaaaa";
    static final Instant NOW = Instant.now();
    static final String VIEWER = "did:plc:changesvieweraaaaaaaaaaa";
    static final SigningKey VIEWER_KEY = SigningKey.generate(KeyAlgorithm.ES256K);

    static boolean seeded;
    static String first;
    static String firstCid;
    static String second;
    static String secondCid;

    @Inject
    MeterRegistry metrics;
    @Inject
    IndexChanges changes;

    @BeforeEach
    void seed() {
        await().atMost(Duration.ofSeconds(30)).until(changes::listening);
        if (seeded) {
            return;
        }
        RunningIdentityService.get().plc().publish(VIEWER, "viewer.changes.test", VIEWER_KEY);
        List<EventEnvelope> events = new ArrayList<>();
        events.add(Events.identity(AUTHOR, "changes-author.coves.test"));
        events.add(Events.create(COMMUNITY, "social.coves.community.profile", "self", Events.community("changes", NOW.minus(Duration.ofDays(3)))));
        events.add(Events.create(OTHER, "social.coves.community.profile", "self", Events.community("elsewhere", NOW.minus(Duration.ofDays(3)))));
        EventEnvelope created = post(events, COMMUNITY, "the first", NOW.minus(Duration.ofHours(2)));
        first = uri(created);
        firstCid = created.commit().cid();
        EventEnvelope created2 = post(events, COMMUNITY, "the second", NOW.minus(Duration.ofHours(1)));
        second = uri(created2);
        secondCid = created2.commit().cid();
        RunningIndexer.get().index(events);
        seeded = true;
    }

    @Test
    void aKeptFeedPageCostsNoStatementAndAVoteFoldedAfterItIsInTheNextAnswer() {
        JsonPath before = feed(COMMUNITY, "new");
        assertThat(before.getList("feed.post.uri", String.class)).containsExactly(second, first);
        double statements = pageStatements();
        assertThat(feed(COMMUNITY, "new").prettify()).isEqualTo(before.prettify());
        assertThat(pageStatements()).as("the second read is the kept page").isEqualTo(statements);

        RunningIndexer.get().index(List.of(Events.create(VOTER, "social.coves.feed.vote", Events.tid(), Events.vote(first, firstCid, "up"))));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(feed(COMMUNITY, "new").getInt("feed[1].post.stats.upvotes")).isEqualTo(1));
    }

    @Test
    void aViewersOwnVoteAndSubscriptionFoldedAfterTheyWereRememberedAreInTheirNextAnswers() {
        assertThat(viewerFeed().getString("feed[0].post.viewer.vote")).isNull();
        assertThat(timeline().getList("feed")).isEmpty();

        RunningIndexer.get().index(List.of(
                Events.create(VIEWER, "social.coves.feed.vote", Events.tid(), Events.vote(second, secondCid, "down")),
                Events.create(VIEWER, "social.coves.community.subscription", Events.tid(), Events.subscription(COMMUNITY, 5))));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(viewerFeed().getString("feed[0].post.viewer.vote")).isEqualTo("down"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(timeline().getList("feed.post.uri", String.class)).contains(second));
    }

    @Test
    void aChangeInAnotherCommunityLeavesThePageKept() {
        feed(COMMUNITY, "hot");
        double statements = pageStatements();
        List<EventEnvelope> events = new ArrayList<>();
        post(events, OTHER, "somewhere else", NOW.minus(Duration.ofMinutes(5)));
        RunningIndexer.get().index(events);

        assertThat(feed(COMMUNITY, "hot").getList("feed.post.uri", String.class)).containsExactlyInAnyOrder(first, second);
        assertThat(pageStatements()).isEqualTo(statements);
    }

    @Test
    void anAuthorsNewDisplayNameReachesKeptPages() {
        assertThat(feed(COMMUNITY, "top").getString("feed[0].post.author.displayName")).isNotEqualTo("Renamed Author");

        RunningIndexer.get().index(List.of(Events.create(AUTHOR, "social.coves.actor.profile", "self", JsonNodeFactory.instance.objectNode()
                .put("$type", "social.coves.actor.profile").put("displayName", "Renamed Author"))));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(feed(COMMUNITY, "top").getList("feed.post.author.displayName", String.class)).containsOnly("Renamed Author"));
    }

    @Test
    void aCommentFoldedAfterAThreadPageWasKeptIsInTheNextAnswer() {
        assertThat(thread().getList("comments")).isEmpty();
        double hits = threadHits();
        assertThat(thread().getList("comments")).isEmpty();
        assertThat(threadHits()).as("the second read is the kept page").isEqualTo(hits + 1);

        RunningIndexer.get().index(List.of(Events.create(VOTER, "social.coves.community.comment", Events.tid(),
                Events.comment(first, firstCid, first, firstCid, "a reply", NOW))));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(thread().getList("comments.comment.record.content", String.class)).containsExactly("a reply"));
    }

    @Test
    void whileTheNoticesAreLostPagesAreReadFromTheIndexAndKeptAgainOnceTheyAreBack() throws Exception {
        feed(OTHER, "new");
        SharedPostgres.Connection pg = SharedPostgres.connection();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            c.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "
                    + IndexChanges.CHANNEL + "'");
        }
        List<EventEnvelope> events = new ArrayList<>();
        String missed = uri(post(events, OTHER, "while nobody listened", NOW.minus(Duration.ofMinutes(1))));
        RunningIndexer.get().index(events);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(feed(OTHER, "new").getList("feed.post.uri", String.class)).contains(missed));
        await().atMost(Duration.ofSeconds(30)).until(changes::listening);
        assertThat(listeningGauge()).as("on /q/metrics").isEqualTo(1);
        feed(OTHER, "new");
        double statements = pageStatements();
        assertThat(feed(OTHER, "new").getList("feed.post.uri", String.class)).contains(missed);
        assertThat(pageStatements()).as("kept again").isEqualTo(statements);
    }

    private static EventEnvelope post(List<EventEnvelope> events, String community, String title, Instant createdAt) {
        EventEnvelope created = Events.create(community, POST, Events.tid(), Events.post(community, AUTHOR, title, createdAt));
        events.add(created);
        return created;
    }

    private static String uri(EventEnvelope created) {
        return "at://" + created.did() + "/" + POST + "/" + created.commit().rkey();
    }

    private static JsonPath feed(String community, String sort) {
        return given().queryParam("community", community).queryParam("sort", sort).queryParam("timeframe", "all")
                .when().get("/xrpc/social.coves.feed.getCommunity").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath viewerFeed() {
        return given().header("Authorization", ServiceJwts.bearer(VIEWER_KEY, VIEWER, "did:web:localhost", "social.coves.feed.getCommunity"))
                .queryParam("community", COMMUNITY).queryParam("sort", "new").queryParam("timeframe", "all")
                .when().get("/xrpc/social.coves.feed.getCommunity").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath timeline() {
        return given().header("Authorization", ServiceJwts.bearer(VIEWER_KEY, VIEWER, "did:web:localhost", "social.coves.feed.getTimeline"))
                .queryParam("sort", "new").when().get("/xrpc/social.coves.feed.getTimeline").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aCommunitysCheckIsKeptThroughItsPostsAndVotesAndDroppedOnceItIsGone() {
        String gone = "did:plc:changesgonecommunityaaaa";
        List<EventEnvelope> events = new ArrayList<>();
        events.add(Events.create(gone, "social.coves.community.profile", "self", Events.community("gone", NOW.minus(Duration.ofDays(2)))));
        // by an author of its own: the other tests list AUTHOR's posts
        EventEnvelope only = Events.create(gone, POST, Events.tid(), Events.post(gone, "did:plc:changesgoneauthoraaaaaa",
                "soon without a community", NOW.minus(Duration.ofMinutes(30))));
        events.add(only);
        RunningIndexer.get().index(events);
        assertThat(feed(gone, "new").getList("feed.post.uri", String.class)).containsExactly(uri(only));
        double hits = hits("community_dids");

        RunningIndexer.get().index(List.of(Events.create(VOTER, "social.coves.feed.vote", Events.tid(),
                Events.vote(uri(only), only.commit().cid(), "up"))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(feed(gone, "new").getInt("feed[0].post.stats.upvotes")).isEqualTo(1));
        assertThat(hits("community_dids")).as("the page changed, the community's check was kept").isGreaterThan(hits);

        RunningIndexer.get().index(List.of(Events.delete(gone, "social.coves.community.profile", "self")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().queryParam("community", gone).queryParam("sort", "new").when().get("/xrpc/social.coves.feed.getCommunity")
                        .then().statusCode(404).body("error", org.hamcrest.Matchers.equalTo("CommunityNotFound")));
    }

    @Test
    void anAccountTheIndexKnowsIsCheckedOnceAndOneItDoesNotIsAskedAgain() {
        given().queryParam("actor", AUTHOR).when().get("/xrpc/social.coves.actor.getPosts").then().statusCode(200);
        double hits = hits("known_actors");
        given().queryParam("actor", AUTHOR).when().get("/xrpc/social.coves.actor.getPosts").then().statusCode(200)
                .body("feed.post.uri", org.hamcrest.Matchers.hasItem(first));
        assertThat(hits("known_actors")).as("the second listing's check is the kept answer").isEqualTo(hits + 1);

        String newcomer = "did:plc:changesnewcomeraaaaaaaaa";
        given().queryParam("actor", newcomer).when().get("/xrpc/social.coves.actor.getPosts").then().statusCode(404);
        RunningIndexer.get().index(List.of(Events.identity(newcomer, "changes-newcomer.coves.test")));
        given().queryParam("actor", newcomer).when().get("/xrpc/social.coves.actor.getPosts").then().statusCode(200)
                .body("feed", org.hamcrest.Matchers.empty());
    }

    private static JsonPath thread() {
        return given().queryParam("post", first).queryParam("sort", "new")
                .when().get("/xrpc/social.coves.community.comment.getComments").then().statusCode(200).extract().jsonPath();
    }

    private double pageStatements() {
        Counter counter = metrics.find("coves_api_hydration_statements").tag("kind", "posts").counter();
        return counter == null ? 0 : counter.count();
    }

    private double threadHits() {
        return hits("thread_pages");
    }

    private double hits(String cache) {
        return metrics.find("cache.gets").tag("cache", cache).tag("result", "hit").functionCounter().count();
    }

    private double listeningGauge() {
        Gauge gauge = metrics.find("coves_api_index_change_listening").gauge();
        return gauge == null ? 0 : gauge.value();
    }
}
