package social.coves.api.ratelimit;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.localstack.testing.PostgresResource;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** Limits as a client sees them; each test is its own client, told apart by X-Forwarded-For from the trusted loopback. */
@QuarkusTest
@TestProfile(RateLimitTests.SmallLimits.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
class RateLimitTests {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coves.api.rate-limit.per-minute", "5",
                    "coves.api.rate-limit.get-comments-per-minute", "2",
                    "coves.api.rate-limit.trusted-proxies", "127.0.0.1,::1");
        }
    }

    private static final String UNKNOWN_COMMUNITY = "did:plc:unknownnnnnnnnnnnnnnnnnn";
    private static final String UNKNOWN_POST = "at://did:plc:unknownnnnnnnnnnnnnnnnnn/social.coves.community.post/3kabcdefghij2";

    private static Response communityGet(String forwardedFor) {
        return given().header("X-Forwarded-For", forwardedFor).queryParam("community", UNKNOWN_COMMUNITY)
                .when().get("/xrpc/social.coves.community.get");
    }

    /**
     * Whole seconds within a range: the buckets refill continuously, so a wait counted after a slow request on a busy
     * machine is a little shorter than the full period (30 s measured as 29 in CI).
     */
    private static org.hamcrest.Matcher<String> secondsBetween(int min, int max) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(String value) {
                try {
                    int seconds = Integer.parseInt(value);
                    return seconds >= min && seconds <= max;
                } catch (NumberFormatException e) {
                    return false;
                }
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("whole seconds from " + min + " to " + max);
            }
        };
    }

    private static Response getComments(String forwardedFor) {
        return given().header("X-Forwarded-For", forwardedFor).queryParam("post", UNKNOWN_POST)
                .when().get("/xrpc/social.coves.community.comment.getComments");
    }

    @Test
    void theSixthRequestInAMinuteIsRefusedWithRetryAfterAndRateLimitHeaders() {
        for (int i = 0; i < 5; i++) {
            communityGet("198.51.100.1").then().statusCode(404)
                    .header("RateLimit-Limit", "5").header("RateLimit-Remaining", String.valueOf(4 - i))
                    .header("RateLimit-Policy", "5;w=60");
        }
        communityGet("198.51.100.1").then().statusCode(429).contentType(containsString("application/json"))
                .body("error", equalTo("RateLimitExceeded")).body("message", containsString("5 requests per minute"))
                .header("Retry-After", secondsBetween(1, 12)).header("RateLimit-Remaining", "0")
                .header("RateLimit-Reset", secondsBetween(1, 60));
        communityGet("198.51.100.2").then().statusCode(404);
        given().when().get("/q/health/live").then().statusCode(200).header("RateLimit-Limit", (String) null);
    }

    @Test
    void getCommentsHasItsOwnTighterLimitOnTopOfTheGeneralOne() {
        getComments("198.51.100.10").then().statusCode(not(equalTo(429))).header("RateLimit-Limit", "2")
                .header("RateLimit-Remaining", "1");
        getComments("198.51.100.10").then().statusCode(not(equalTo(429)));
        getComments("198.51.100.10").then().statusCode(429).body("error", equalTo("RateLimitExceeded"))
                .body("message", containsString("2 requests per minute")).header("Retry-After", secondsBetween(1, 30));
        communityGet("198.51.100.10").then().statusCode(404).header("RateLimit-Limit", "5");
    }

    @Test
    void aForgedLeftmostForwardedHopDoesNotBuyAFreshBucket() {
        for (int i = 0; i < 5; i++) {
            communityGet("10.9.9." + i + ", 198.51.100.20").then().statusCode(404);
        }
        communityGet("10.9.9.99, 198.51.100.20").then().statusCode(429);
        communityGet("198.51.100.20, 127.0.0.1").then().statusCode(429);
    }
}
