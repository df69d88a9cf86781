package social.coves.api.metrics;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.communities.rules.CommunityPolicies;
import social.coves.api.communities.CommunityQueries;
import social.coves.api.comments.ThreadPages;
import social.coves.api.communities.CommunityListQueries;
import social.coves.api.feeds.CommunityFeedPages;
import social.coves.api.hydration.ViewerSubscriptions;
import social.coves.api.hydration.ViewerVotes;
import social.coves.api.feeds.CommunityHeads;
import social.coves.api.hydration.RecentPostViews;
import social.coves.api.support.IdentityServiceResource;
import social.coves.api.support.RunningIdentityService;
import social.coves.api.support.ServiceJwts;
import social.coves.lexicon.crypto.KeyAlgorithm;
import social.coves.lexicon.crypto.SigningKey;
import social.coves.localstack.testing.PostgresResource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Every cache of the API is on /q/metrics after real requests: hits, misses, puts, size and evictions, tagged with its name. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class CacheMetricsTests {

    static final String VIEWER = "did:plc:cachemetricsvieweraaaaaa";
    static final SigningKey KEY = SigningKey.generate(KeyAlgorithm.ES256K);

    @Inject
    CommunityPolicies policies;
    @Inject
    CommunityHeads heads;
    @Inject
    RecentPostViews postViews;
    @Inject
    CommunityQueries communities;
    @Inject
    CommunityFeedPages feedPages;
    @Inject
    ThreadPages threadPages;
    @Inject
    CommunityListQueries listings;
    @Inject
    ViewerVotes votes;
    @Inject
    ViewerSubscriptions subscriptions;

    @Test
    void cachesCountHitsAndMissesOnTheMetricsEndpoint() {
        RunningIdentityService.get().plc().publish(VIEWER, "viewer.cachemetrics.test", KEY);
        // beans are built on first use: a write, a timeline with subscriptions
        ClientProxy.unwrap(policies);
        ClientProxy.unwrap(heads);
        ClientProxy.unwrap(postViews);
        ClientProxy.unwrap(communities);
        ClientProxy.unwrap(feedPages);
        ClientProxy.unwrap(threadPages);
        ClientProxy.unwrap(listings);
        ClientProxy.unwrap(votes);
        ClientProxy.unwrap(subscriptions);
        String token = ServiceJwts.bearer(KEY, VIEWER, "did:web:localhost", "social.coves.feed.getTimeline");
        for (int i = 0; i < 3; i++) { // the same token thrice: its signature is verified once, then remembered
            given().header("Authorization", token).when().get("/xrpc/social.coves.feed.getTimeline").then().statusCode(200);
        }
        given().queryParam("actor", VIEWER).when().get("/xrpc/social.coves.actor.getPosts"); // known_actors (its answer aside)
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();

        // present for every cache (how they count is CacheMetricsBindingTests': the registry outlives a test app,
        // so counts read here may belong to an earlier app's cache of the same name)
        for (String cache : new String[] {"verified_signatures", "issuer_signing_keys", "timeline_heads", "timeline_post_views",
                "community_rules", "community_dids", "community_feed_pages", "thread_pages",
                "communities", "community_listings", "viewer_votes", "viewer_subscriptions", "known_actors"}) {
            assertThat(metrics).as(cache).containsPattern("cache_gets_total\\{[^}]*cache=\"" + cache + "\"[^}]*result=\"hit\"")
                    .containsPattern("cache_gets_total\\{[^}]*cache=\"" + cache + "\"[^}]*result=\"miss\"")
                    .containsPattern("cache_size\\{[^}]*cache=\"" + cache + "\"")
                    .containsPattern("cache_evictions_total\\{[^}]*cache=\"" + cache + "\"")
                    .containsPattern("cache_puts_total\\{[^}]*cache=\"" + cache + "\"");
        }
    }
}
