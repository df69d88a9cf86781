package social.coves.api.hydration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.changes.IndexChanges;
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
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page is hydrated with one statement per kind, whatever its size: 25 posts by 25 authors in 3 communities, read
 * with a viewer who voted on some of them, cost one statement for the posts with their authors and communities joined
 * in (a community feed page: the feed's own walk) and one for the viewer's votes (counted by
 * {@link HydrationStatements}, which every hydration read goes through), not one per post or per kind of detail.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class HydrationStatementCountTests {

    static final String APPVIEW = "did:web:localhost";
    static final String POST = "social.coves.community.post";
    static final String VIEWER = "did:plc:hydrationvieweraaaaaaaaa";
    static final SigningKey VIEWER_KEY = SigningKey.generate(KeyAlgorithm.ES256K);
    /** A viewer with more vote records than are read at once ({@link ViewerVotes#SUBJECTS_PER_VIEWER}). */
    static final String HEAVY_VOTER = "did:plc:hydrationheavyvoteraaaaa";
    static final SigningKey HEAVY_VOTER_KEY = SigningKey.generate(KeyAlgorithm.ES256K);
    static final int POSTS = 25;
    static final int COMMUNITIES = 3;
    static final Instant NOW = Instant.now();

    static final String CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";

    static boolean seeded;
    /** Newest first. */
    static final List<String> posts = new ArrayList<>();
    static final List<String> voted = new ArrayList<>();
    static final List<String> votedByHeavyVoter = new ArrayList<>();
    static String busiestCommunity;

    @Inject
    MeterRegistry metrics;
    @Inject
    IndexChanges changes;

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        RunningIdentityService.get().plc().publish(VIEWER, "viewer.hydration.test", VIEWER_KEY);
        RunningIdentityService.get().plc().publish(HEAVY_VOTER, "heavy.hydration.test", HEAVY_VOTER_KEY);
        List<EventEnvelope> events = new ArrayList<>();
        List<String> communities = new ArrayList<>();
        for (int c = 0; c < COMMUNITIES; c++) {
            String did = "did:plc:hydrationcommunityaaaaa" + letter(c);
            communities.add(did);
            events.add(Events.identity(did, "c-hydration" + letter(c) + ".coves.test"));
            events.add(Events.create(did, "social.coves.community.profile", "self",
                    Events.community("hydration" + letter(c), NOW.minus(Duration.ofDays(5)))));
            events.add(Events.create(VIEWER, "social.coves.community.subscription", Events.tid(), Events.subscription(did, 5)));
        }
        for (int i = 0; i < POSTS; i++) {
            String author = "did:plc:hydrationauthoraaaaaaaa" + letter(i);
            events.add(Events.identity(author, "author-" + letter(i) + ".hydration.test"));
            String community = communities.get(i % COMMUNITIES);
            String rkey = Events.tid();
            EventEnvelope created = Events.create(community, POST, rkey, Events.post(community, author, "post " + i,
                    NOW.minus(Duration.ofMinutes(POSTS - i))));
            events.add(created);
            String uri = "at://" + community + "/" + POST + "/" + rkey;
            posts.addFirst(uri);
            if (i % 4 == 0) {
                events.add(Events.create(VIEWER, "social.coves.feed.vote", Events.tid(), Events.vote(uri, created.commit().cid(), "up")));
                voted.add(uri);
            }
            if (i % 3 == 0) {
                events.add(Events.create(HEAVY_VOTER, "social.coves.feed.vote", Events.tid(), Events.vote(uri, created.commit().cid(), "down")));
                votedByHeavyVoter.add(uri);
            }
        }
        for (int i = 0; i <= ViewerVotes.SUBJECTS_PER_VIEWER; i++) {
            String elsewhere = "at://did:plc:hydrationelsewhereaaaa/" + POST + "/" + Events.tid();
            events.add(Events.create(HEAVY_VOTER, "social.coves.feed.vote", Events.tid(), Events.vote(elsewhere, CID, "up")));
        }
        busiestCommunity = communities.getFirst();
        RunningIndexer.get().index(events);
        seeded = true;
    }

    private static char letter(int i) {
        return "abcdefghijklmnopqrstuvwxyz".charAt(i);
    }

    @Test
    void postGetOf25PostsBy25AuthorsIn3CommunitiesIsOneStatementPerKind() {
        Map<HydrationKind, Long> issued = statementsDuring(() -> postGet(posts));

        assertThat(issued).isEqualTo(Map.of(HydrationKind.POSTS, 1L,
                HydrationKind.VIEWER_VOTES, 1L, HydrationKind.VIEWER_SUBSCRIPTIONS, 0L));
    }

    @Test
    void aPageOfFivePostsCostsWhatAPageOf25Costs() {
        Map<HydrationKind, Long> five = statementsDuring(() -> postGet(posts.subList(0, 5)));
        Map<HydrationKind, Long> all = statementsDuring(() -> postGet(posts));

        assertThat(five).isEqualTo(all);
    }

    @Test
    void aTimelinePageOf25IsOneStatementPerKind() {
        Map<HydrationKind, Long> issued = statementsDuring(() -> {
            JsonPath page = given().header("Authorization", ServiceJwts.bearer(VIEWER_KEY, VIEWER, APPVIEW, "social.coves.feed.getTimeline"))
                    .queryParam("sort", "new").queryParam("limit", POSTS)
                    .when().get("/xrpc/social.coves.feed.getTimeline").then().statusCode(200).extract().jsonPath();
            assertThat(page.getList("feed.post.uri", String.class)).containsExactlyElementsOf(posts);
            return page;
        });

        // the posts themselves may come from the views timelines share (RecentPostViews): at most one read per kind
        assertThat(issued.get(HydrationKind.VIEWER_SUBSCRIPTIONS)).isEqualTo(1);
        assertThat(issued.get(HydrationKind.VIEWER_VOTES)).isEqualTo(1);
        assertThat(issued.get(HydrationKind.POSTS)).isLessThanOrEqualTo(1);
    }

    @Test
    void aCommunityFeedPageIsItsWalkAndTheViewersVotes() {
        Map<HydrationKind, Long> issued = statementsDuring(() -> {
            JsonPath page = given().header("Authorization", ServiceJwts.bearer(VIEWER_KEY, VIEWER, APPVIEW, "social.coves.feed.getCommunity"))
                    .queryParam("community", busiestCommunity).queryParam("sort", "new").queryParam("limit", POSTS)
                    .when().get("/xrpc/social.coves.feed.getCommunity").then().statusCode(200).extract().jsonPath();
            assertThat(page.getList("feed.post.uri", String.class)).hasSize(9);
            return page;
        });

        assertThat(issued).isEqualTo(Map.of(HydrationKind.POSTS, 1L,
                HydrationKind.VIEWER_VOTES, 1L, HydrationKind.VIEWER_SUBSCRIPTIONS, 0L));
    }

    /** {@code post.get} of these posts with the viewer; checks the page is what was seeded, hydrated. */
    private JsonPath postGet(List<String> uris) {
        return postGet(uris, VIEWER, VIEWER_KEY, "up", voted);
    }

    /** {@code post.get} of these posts with {@code viewer}, whose vote on each of {@code votedOn} is {@code direction}. */
    private JsonPath postGet(List<String> uris, String viewer, SigningKey key, String direction, List<String> votedOn) {
        JsonPath page = given().header("Authorization", ServiceJwts.bearer(key, viewer, APPVIEW, "social.coves.community.post.get"))
                .queryParam("uris", uris).when().get("/xrpc/social.coves.community.post.get").then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("posts.uri", String.class)).containsExactlyElementsOf(uris);
        assertThat(new HashSet<>(page.getList("posts.author.handle", String.class))).hasSize(uris.size())
                .allMatch(handle -> handle.endsWith(".hydration.test"));
        assertThat(new HashSet<>(page.getList("posts.community.name", String.class))).hasSize(Math.min(uris.size(), COMMUNITIES));
        List<String> withVote = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            String vote = page.getString("posts[" + i + "].viewer.vote");
            if (vote != null) {
                assertThat(vote).isEqualTo(direction);
                withVote.add(uris.get(i));
            }
        }
        assertThat(withVote).containsExactlyElementsOf(uris.stream().filter(votedOn::contains).toList()).isNotEmpty();
        return page;
    }

    @Test
    void aViewersVotesAreReadOnceUntilTheyChange() {
        Supplier<JsonPath> page = () -> postGet(posts);
        statementsDuring(page);

        assertThat(statementsDuringRemembered(page).get(HydrationKind.VIEWER_VOTES)).as("remembered").isZero();
        changes.changedHere(IndexChanges.user(VIEWER));
        assertThat(statementsDuringRemembered(page).get(HydrationKind.VIEWER_VOTES)).as("after a change of theirs").isEqualTo(1);
    }

    @Test
    void aViewerWithFewVotesHasThemAllReadOnceForEveryPageUntilTheyChange() {
        statementsDuring(() -> postGet(posts.subList(0, 5)));

        assertThat(statementsDuringRemembered(() -> postGet(posts.subList(5, POSTS))).get(HydrationKind.VIEWER_VOTES))
                .as("a page of other posts").isZero();
    }

    @Test
    void aViewerWithManyVotesHasEachPagesSubjectsLookedUp() {
        Supplier<JsonPath> firstPosts = () -> postGet(posts.subList(0, 12), HEAVY_VOTER, HEAVY_VOTER_KEY, "down", votedByHeavyVoter);
        Supplier<JsonPath> otherPosts = () -> postGet(posts.subList(12, POSTS), HEAVY_VOTER, HEAVY_VOTER_KEY, "down", votedByHeavyVoter);

        // first sight: all of them are tried (too many), then the page's subjects
        assertThat(statementsDuringRemembered(firstPosts).get(HydrationKind.VIEWER_VOTES)).as("first sight").isEqualTo(2);
        assertThat(statementsDuringRemembered(otherPosts).get(HydrationKind.VIEWER_VOTES)).as("a page of other posts").isEqualTo(1);
        assertThat(statementsDuringRemembered(firstPosts).get(HydrationKind.VIEWER_VOTES)).as("posts looked up before").isZero();
        changes.changedHere(IndexChanges.user(HEAVY_VOTER));
        assertThat(statementsDuringRemembered(otherPosts).get(HydrationKind.VIEWER_VOTES)).as("after a change of theirs").isEqualTo(1);
    }

    /**
     * The hydration statements issued while {@code request} ran, by kind, the viewer's votes and subscriptions read
     * afresh (as after a write of theirs: they are otherwise remembered until they change).
     */
    private Map<HydrationKind, Long> statementsDuring(Supplier<JsonPath> request) {
        changes.changedHere(IndexChanges.user(VIEWER));
        return statementsDuringRemembered(request);
    }

    /** As {@link #statementsDuring}, with whatever is remembered of the viewer. */
    private Map<HydrationKind, Long> statementsDuringRemembered(Supplier<JsonPath> request) {
        Map<HydrationKind, Double> before = counts();
        request.get();
        Map<HydrationKind, Double> after = counts();
        Map<HydrationKind, Long> issued = new EnumMap<>(HydrationKind.class);
        after.forEach((kind, count) -> issued.put(kind, Math.round(count - before.get(kind))));
        return issued;
    }

    private Map<HydrationKind, Double> counts() {
        Map<HydrationKind, Double> counts = new EnumMap<>(HydrationKind.class);
        for (HydrationKind kind : HydrationKind.values()) {
            Counter counter = metrics.find("coves_api_hydration_statements").tag("kind", kind.tag()).counter();
            counts.put(kind, counter == null ? 0 : counter.count());
        }
        return counts;
    }
}
