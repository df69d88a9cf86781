package social.coves.api.communities;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.Events;
import social.coves.api.support.IdentityServiceResource;
import social.coves.api.support.RunningIndexer;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.testing.PostgresResource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What the API does with the indexer's did:web hosting verdicts ({@code appview.communities.hosted_by_verified}, written
 * by the indexer's job; that job is tested in firehose-ingestor, here the verdicts are set directly): a refused
 * community is still served by {@code community.get} (flagged {@code hostedByVerified: false}) and its own feed, but is
 * left out of {@code community.list}, {@code community.search} and {@code feed.getDiscover}; pending and verified
 * communities are listed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class HostingVerdictTests {

    static final String VERIFIED = "did:plc:hostingverifiedaaaaaaaaa";
    static final String REFUSED = "did:plc:hostingrefusedaaaaaaaaaa";
    static final String PENDING = "did:plc:hostingpendingaaaaaaaaaa";
    static final String AUTHOR = "did:plc:hostingauthoraaaaaaaaaaa";
    static boolean seeded;

    @Inject
    Pool pool;

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        List<EventEnvelope> events = new ArrayList<>();
        Instant now = Instant.now();
        for (String[] c : new String[][]{{VERIFIED, "zqhostverified"}, {REFUSED, "zqhostrefused"}, {PENDING, "zqhostpending"}}) {
            events.add(Events.identity(c[0], "c-" + c[1] + ".coves.test"));
            events.add(Events.create(c[0], "social.coves.community.profile", "self", Events.community(c[1], now)
                    .put("description", "zqhosting community")));
            events.add(Events.create(c[0], "social.coves.community.post", Events.tid(), Events.post(c[0], AUTHOR, "zqhosting post", now)));
        }
        RunningIndexer.get().index(events);
        verdict(VERIFIED, true, "Verified");
        verdict(REFUSED, false, "DomainMismatch");
        seeded = true;
    }

    @Test
    void communityGetServesEveryCommunityWithItsVerdict() {
        given().queryParam("community", VERIFIED).get("/xrpc/social.coves.community.get")
                .then().statusCode(200).body("hostedByVerified", equalTo(true));
        given().queryParam("community", REFUSED).get("/xrpc/social.coves.community.get")
                .then().statusCode(200).body("did", equalTo(REFUSED)).body("hostedByVerified", equalTo(false));
        String pending = given().queryParam("community", PENDING).get("/xrpc/social.coves.community.get")
                .then().statusCode(200).extract().asString();
        assertThat(pending).as("pending: no verdict field").doesNotContain("hostedByVerified");
    }

    @Test
    void refusedCommunitiesAreLeftOutOfListSearchAndDiscover() {
        List<String> searched = given().queryParam("q", "zqhosting").queryParam("limit", 50).get("/xrpc/social.coves.community.search")
                .then().statusCode(200).extract().jsonPath().getList("communities.did");
        assertThat(searched).contains(VERIFIED, PENDING).doesNotContain(REFUSED);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("sort", "new").queryParam("limit", 100);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/xrpc/social.coves.community.list").then().statusCode(200).extract().jsonPath();
            listed.addAll(page.getList("communities.did"));
            cursor = page.getString("cursor");
        } while (cursor != null && !cursor.isEmpty() && listed.size() < 10_000);
        assertThat(listed).contains(VERIFIED, PENDING).doesNotContain(REFUSED);

        // the newest posts are these three (seeded last); the refused community's is not among them
        List<String> discovered = given().queryParam("sort", "new").queryParam("limit", 10).get("/xrpc/social.coves.feed.getDiscover")
                .then().statusCode(200).extract().jsonPath().getList("feed.post.community.did");
        assertThat(discovered).contains(VERIFIED, PENDING).doesNotContain(REFUSED);

        // its own feed still serves it (reached by name, not discovered)
        List<String> own = given().queryParam("community", REFUSED).get("/xrpc/social.coves.communityFeed.getCommunity")
                .then().statusCode(200).extract().jsonPath().getList("feed.post.community.did");
        assertThat(own).containsOnly(REFUSED).isNotEmpty();
    }

    private void verdict(String did, boolean verified, String reason) {
        pool.preparedQuery("UPDATE appview.communities SET hosted_by_verified = $2, hosted_by_reason = $3 WHERE did = $1")
                .execute(Tuple.of(did, verified, reason)).await().indefinitely();
    }
}
