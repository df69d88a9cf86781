package social.coves.api.writes;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.InstancePdsResource;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.PostgresResource;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static social.coves.api.writes.WriteFixtures.createCommunity;
import static social.coves.api.writes.WriteFixtures.createPost;
import static social.coves.api.writes.WriteFixtures.newUser;
import static social.coves.api.writes.WriteFixtures.uniqueName;

/** An instance that lets only listed accounts create communities, and limits each caller's writes per minute. */
@QuarkusTest
@TestProfile(WriteLimitsTests.Limited.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(InstancePdsResource.class)
class WriteLimitsTests {

    static final String ADMIN = "admin";
    static PdsAccounts.Account admin;

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            admin = newUser(ADMIN);
            return Map.of("coves.instance.community-creators", admin.did(), "coves.instance.writes.per-minute", "4");
        }
    }

    @Test
    void onlyListedAccountsCreateCommunitiesAndWritesAreRateLimitedPerCaller() {
        PdsAccounts.Account stranger = newUser("stranger");
        createCommunity(stranger, uniqueName("nope"), Map.of()).then().statusCode(403)
                .body("error", equalTo("CommunityCreationRestricted"));
        String community = createCommunity(admin, uniqueName("ok"), Map.of()).then().statusCode(200).extract().path("did");
        // admin: one write spent; three more pass, the fifth in the minute is refused with Retry-After
        for (int i = 0; i < 3; i++) {
            createPost(admin, community, Map.of("title", "post " + i)).then().statusCode(200);
        }
        createPost(admin, community, Map.of("title", "one too many")).then().statusCode(429)
                .body("error", equalTo("RateLimitExceeded")).header("Retry-After", notNullValue());
        // another caller has a budget of its own
        createPost(stranger, community, Map.of("title", "mine")).then().statusCode(200);
    }
}
