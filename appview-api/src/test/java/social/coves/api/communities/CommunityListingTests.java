package social.coves.api.communities;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/**
 * {@code community.list}, {@code community.search}, {@code community.getSubscribers} over indexed data. The
 * communities here are {@code unlisted}, so {@code visibility=unlisted} isolates them from other test classes' data.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class CommunityListingTests {

    static final String APPVIEW = "did:web:localhost";
    static final String LIST = "social.coves.community.list";
    static final String SEARCH = "social.coves.community.search";
    static final String SUBSCRIBERS = "social.coves.community.getSubscribers";
    static final String L1 = "did:plc:listingalphaaaaaaaaaaaaa";
    static final String L2 = "did:plc:listingbravoaaaaaaaaaaaa";
    static final String L3 = "did:plc:listingcharlieaaaaaaaaaa";
    static final String L4 = "did:plc:listingdeltaaaaaaaaaaaaa";
    static final String ERIN = "did:plc:listingerinaaaaaaaaaaaaa";
    static final String S1 = "did:plc:listingsubscriberoneaaaa";
    static final String S2 = "did:plc:listingsubscribertwoaaaa";
    static final SigningKey ERIN_KEY = SigningKey.generate(KeyAlgorithm.ES256K);
    static final Instant NOW = Instant.now();

    static boolean seeded;

    @Inject
    Pool pool;

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        RunningIdentityService.get().plc().publish(ERIN, "erin.listing.test", ERIN_KEY);
        List<EventEnvelope> events = new ArrayList<>();
        community(events, L1, "lsalpha", "Alpha Hikers", "mountain trails and camping", 10);
        community(events, L2, "lsbravo", "Bravo Bakers", "sourdough every day", 5);
        community(events, L3, "lscharlie", "Charlie Chess", "openings, endgames", 1);
        community(events, L4, "lsdelta", "Delta Divers", "reefs and wrecks", 20);
        events.add(Events.identity(ERIN, "erin.listing.test"));
        events.add(Events.identity(S1, "s1.listing.test"));
        subscribe(events, ERIN, L1);
        subscribe(events, S1, L1);
        subscribe(events, S1, L1);   // a second record: still one subscriber
        subscribe(events, S2, L1);
        subscribe(events, ERIN, L3);
        subscribe(events, S2, L3);
        subscribe(events, S1, L2);
        events.add(Events.create(ERIN, "social.coves.community.block", Events.tid(), Events.block(L2)));
        posts(events, L1, 1);
        posts(events, L2, 3);
        posts(events, L4, 2);
        RunningIndexer.get().index(events);
        seeded = true;
    }

    private static void community(List<EventEnvelope> events, String did, String name, String displayName, String description, int daysOld) {
        events.add(Events.identity(did, "c-" + name + ".coves.test"));
        events.add(Events.create(did, "social.coves.community.profile", "self", Events.community(name, NOW.minus(Duration.ofDays(daysOld)))
                .put("displayName", displayName).put("description", description).put("visibility", "unlisted")));
    }

    private static void subscribe(List<EventEnvelope> events, String subscriber, String community) {
        events.add(Events.create(subscriber, "social.coves.community.subscription", Events.tid(), Events.subscription(community, 3)));
    }

    private static void posts(List<EventEnvelope> events, String community, int n) {
        for (int i = 0; i < n; i++) {
            events.add(Events.create(community, "social.coves.community.post", Events.tid(),
                    Events.post(community, S1, "post " + i, NOW.minus(Duration.ofHours(i + 1)))));
        }
    }

    private static Response list(Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.putIfAbsent("visibility", "unlisted");
        return given().queryParams(all).when().get("/xrpc/" + LIST);
    }

    private static List<String> dids(Response r, String path) {
        return r.then().statusCode(200).extract().jsonPath().getList(path);
    }

    @Test
    void eachSortWalksItsOrder() {
        assertThat(dids(list(Map.of()), "communities.did")).as("popular is the default").containsExactly(L1, L3, L2, L4);
        assertThat(dids(list(Map.of("sort", "popular")), "communities.did")).containsExactly(L1, L3, L2, L4);
        assertThat(dids(list(Map.of("sort", "active")), "communities.did")).containsExactly(L2, L4, L1, L3);
        assertThat(dids(list(Map.of("sort", "new")), "communities.did")).containsExactly(L3, L2, L1, L4);
        assertThat(dids(list(Map.of("sort", "alphabetical")), "communities.did")).containsExactly(L1, L2, L3, L4);
    }

    @Test
    void aCommunityViewCarriesCountsAndTheDisplayHandle() {
        list(Map.of("limit", 1)).then().statusCode(200)
                .body("communities[0].did", equalTo(L1))
                .body("communities[0].handle", equalTo("c-lsalpha.coves.test"))
                .body("communities[0].name", equalTo("lsalpha"))
                .body("communities[0].displayName", equalTo("Alpha Hikers"))
                .body("communities[0].displayHandle", equalTo("!lsalpha@coves.test"))
                .body("communities[0].visibility", equalTo("unlisted"))
                .body("communities[0].subscriberCount", equalTo(3))
                .body("communities[0].memberCount", equalTo(0))
                .body("communities[0].postCount", equalTo(1))
                .body("communities[0]", not(hasKey("viewer")))
                .body("cursor", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void cursorsWalkEverySortOnePageAtATime() {
        for (String sort : List.of("popular", "active", "new", "alphabetical")) {
            List<String> all = dids(list(Map.of("sort", sort)), "communities.did");
            List<String> walked = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Map<String, Object> params = new HashMap<>(Map.of("sort", sort, "limit", 1));
                if (cursor != null) {
                    params.put("cursor", cursor);
                }
                Response page = list(params);
                walked.addAll(dids(page, "communities.did"));
                cursor = page.jsonPath().getString("cursor");
            } while (cursor != null && ++pages < 10);
            assertThat(walked).as(sort).containsExactlyElementsOf(all).hasSize(4);
        }
        list(Map.of()).then().body("$", not(hasKey("cursor")));
    }

    @Test
    void theViewersSubscriptionsAreMarkedAndCanBeTheWholeList() {
        String token = ServiceJwts.bearer(ERIN_KEY, ERIN, APPVIEW, LIST);
        given().header("Authorization", token).queryParam("visibility", "unlisted").when().get("/xrpc/" + LIST)
                .then().statusCode(200)
                .body("communities.did", equalTo(List.of(L1, L3, L2, L4)))
                .body("communities.viewer.subscribed", equalTo(List.of(true, true, false, false)))
                .body("communities.viewer.blocked", equalTo(List.of(false, false, true, false)));
        given().header("Authorization", ServiceJwts.bearer(ERIN_KEY, ERIN, APPVIEW, LIST)).queryParam("subscribed", "true")
                .queryParam("sort", "alphabetical").when().get("/xrpc/" + LIST)
                .then().statusCode(200)
                .body("communities.did", equalTo(List.of(L1, L3)))
                .body("communities.viewer.subscribed", equalTo(List.of(true, true)));
        given().queryParam("subscribed", "true").when().get("/xrpc/" + LIST)
                .then().statusCode(401).body("error", equalTo("AuthenticationRequired"));
    }

    @Test
    void listErrors() {
        list(Map.of("sort", "hot")).then().statusCode(400).body("error", equalTo("InvalidRequest")).body("message", containsString("sort"));
        list(Map.of("visibility", "secret")).then().statusCode(400).body("message", containsString("visibility"));
        list(Map.of("subscribed", "maybe")).then().statusCode(400).body("message", containsString("subscribed"));
        list(Map.of("limit", 0)).then().statusCode(400).body("message", containsString("limit"));
        list(Map.of("limit", 101)).then().statusCode(400).body("message", containsString("limit"));
        list(Map.of("cursor", "%%%")).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        String popular = list(Map.of("limit", 1)).jsonPath().getString("cursor");
        list(Map.of("sort", "new", "cursor", popular)).then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void searchRanksTrigramAndSubstringMatches() {
        given().queryParam("q", "lsbravo").when().get("/xrpc/" + SEARCH).then().statusCode(200)
                .body("communities[0].did", equalTo(L2))
                .body("communities[0].displayHandle", equalTo("!lsbravo@coves.test"))
                .body("communities[0]", not(hasKey("viewer")));
        assertThat(dids(given().queryParam("q", "lsalpah").when().get("/xrpc/" + SEARCH), "communities.did"))
                .as("a typo still finds it by trigram similarity").first().isEqualTo(L1);
        given().queryParam("q", "trails").when().get("/xrpc/" + SEARCH).then().statusCode(200)
                .body("communities.did", equalTo(List.of(L1))).body("total", equalTo(1));
        given().queryParam("q", "Chess").when().get("/xrpc/" + SEARCH).then().statusCode(200)
                .body("communities[0].did", equalTo(L3));
        given().queryParam("q", "zzqqxx").when().get("/xrpc/" + SEARCH).then().statusCode(200)
                .body("communities", equalTo(List.of())).body("total", equalTo(0)).body("$", not(hasKey("cursor")));
        given().queryParam("q", "100%_\\").when().get("/xrpc/" + SEARCH).then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void searchPagesWithCursors() {
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        long total = -1;
        do {
            var request = given().queryParam("q", "ls").queryParam("visibility", "unlisted").queryParam("limit", 1);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.when().get("/xrpc/" + SEARCH);
            walked.addAll(dids(page, "communities.did"));
            total = page.jsonPath().getLong("total");
            cursor = page.jsonPath().getString("cursor");
        } while (cursor != null && ++pages < 10);
        assertThat(walked).containsExactlyInAnyOrder(L1, L2, L3, L4);
        assertThat(total).isEqualTo(4);
        String first = given().queryParam("q", "ls").queryParam("visibility", "unlisted").queryParam("limit", 1)
                .when().get("/xrpc/" + SEARCH).jsonPath().getString("cursor");
        given().queryParam("q", "lsa").queryParam("visibility", "unlisted").queryParam("cursor", first).when().get("/xrpc/" + SEARCH)
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void searchErrors() {
        given().when().get("/xrpc/" + SEARCH).then().statusCode(400).body("error", equalTo("InvalidRequest"))
                .body("message", containsString("q is required"));
        given().queryParam("q", "  ").when().get("/xrpc/" + SEARCH).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().queryParam("q", "x".repeat(300)).when().get("/xrpc/" + SEARCH).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().queryParam("q", "ls").queryParam("limit", 500).when().get("/xrpc/" + SEARCH).then().statusCode(400)
                .body("message", containsString("limit"));
        given().queryParam("q", "ls").queryParam("cursor", "abc").when().get("/xrpc/" + SEARCH).then().statusCode(400)
                .body("error", equalTo("InvalidRequest"));
    }

    @Test
    void subscribersAreDistinctAndPaged() {
        given().queryParam("community", "!lsalpha@coves.test").when().get("/xrpc/" + SUBSCRIBERS).then().statusCode(200)
                .body("subscribers.did", equalTo(List.of(ERIN, S1, S2)))
                .body("subscribers[0].handle", equalTo("erin.listing.test"))
                .body("subscribers[0].subscribedAt", org.hamcrest.Matchers.endsWith("Z"))
                .body("subscribers[0].isMember", equalTo(false))
                .body("subscribers[2]", not(hasKey("handle")))
                .body("$", not(hasKey("cursor")));
        Response first = given().queryParam("community", L1).queryParam("limit", 2).when().get("/xrpc/" + SUBSCRIBERS);
        first.then().statusCode(200).body("subscribers.did", equalTo(List.of(ERIN, S1)));
        given().queryParam("community", L1).queryParam("limit", 2).queryParam("cursor", first.jsonPath().getString("cursor"))
                .when().get("/xrpc/" + SUBSCRIBERS)
                .then().statusCode(200).body("subscribers.did", equalTo(List.of(S2))).body("$", not(hasKey("cursor")));
        given().queryParam("community", L4).when().get("/xrpc/" + SUBSCRIBERS).then().statusCode(200)
                .body("subscribers", equalTo(List.of()));
        given().queryParam("community", L2).queryParam("cursor", first.jsonPath().getString("cursor")).when().get("/xrpc/" + SUBSCRIBERS)
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().when().get("/xrpc/" + SUBSCRIBERS).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().queryParam("community", "did:plc:listingnobodyaaaaaaaaaaa").when().get("/xrpc/" + SUBSCRIBERS)
                .then().statusCode(404).body("error", equalTo("NotFound"));
        given().queryParam("community", L1).queryParam("limit", 0).when().get("/xrpc/" + SUBSCRIBERS).then().statusCode(400);
    }

    @Test
    void listSortsAndSearchUseTheirIndexes() {
        for (CommunityListSort sort : CommunityListSort.values()) {
            String plan = explain("SELECT c.did FROM appview.communities c WHERE c.created_at IS NOT NULL AND (c.did <> '') ORDER BY "
                    + sort.orderBy + " LIMIT 51");
            assertThat(plan).as(sort.key()).contains("communities_" + sort.key()).doesNotContain("Sort ");
        }
        String search = explain("SELECT c.did FROM appview.communities c WHERE c.name OPERATOR(public.%) 'hikers' OR c.description ILIKE '%trails%'");
        assertThat(search).contains("communities_name_trgm").contains("communities_description_trgm");
        String subscribers = explain("SELECT s.subscriber_did FROM appview.subscriptions s WHERE s.community_did = 'x' AND s.subscriber_did > 'a'"
                + " GROUP BY s.subscriber_did ORDER BY s.subscriber_did LIMIT 51");
        assertThat(subscribers).contains("subscriptions_community");
    }

    private String explain(String sql) {
        return pool.withTransaction(conn -> conn.query("SET LOCAL enable_seqscan = off").execute()
                .chain(() -> conn.query("EXPLAIN " + sql).execute())).map(rows -> {
                    StringBuilder sb = new StringBuilder();
                    for (Row row : rows) {
                        sb.append(row.getString(0)).append('\n');
                    }
                    return sb.toString();
                }).await().indefinitely();
    }
}
