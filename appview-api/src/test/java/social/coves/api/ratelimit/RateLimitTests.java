package social.coves.api.ratelimit;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.localstack.testing.PostgresResource;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@TestProfile(RateLimitTests.FivePerMinute.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
class RateLimitTests {

    public static class FivePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coves.api.rate-limit.per-minute", "5");
        }
    }

    @Test
    void theSixthRequestInAMinuteIsRefusedWithRetryAfterAndHealthIsNotLimited() {
        for (int i = 0; i < 5; i++) {
            given().queryParam("community", "did:plc:unknownnnnnnnnnnnnnnnnnn").when().get("/xrpc/social.coves.community.get")
                    .then().statusCode(404);
        }
        given().queryParam("community", "did:plc:unknownnnnnnnnnnnnnnnnnn").when().get("/xrpc/social.coves.community.get")
                .then().statusCode(429).body("error", equalTo("RateLimitExceeded")).header("Retry-After", notNullValue());
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
