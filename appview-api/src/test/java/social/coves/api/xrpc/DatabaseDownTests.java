package social.coves.api.xrpc;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/** With its database unreachable the API still answers every read with XRPC JSON: a 500, no stack trace, no driver text. */
@QuarkusTest
@TestProfile(DatabaseDownTests.NoDatabase.class)
class DatabaseDownTests {

    public static class NoDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // port 9 (discard) on loopback: nothing listens there, every connection attempt is refused at once
            return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:9/coves",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:9/coves",
                    "quarkus.flyway.migrate-at-start", "false");
        }
    }

    @Test
    void readsAnswer500AsXrpcJson() {
        for (String path : new String[] {
                "/xrpc/social.coves.community.get?community=did:plc:anycommunityaaaaaaaaaaaa",
                "/xrpc/social.coves.feed.getDiscover",
                "/xrpc/social.coves.community.list",
                "/xrpc/social.coves.community.post.get?uris=at://did:plc:anycommunityaaaaaaaaaaaa/social.coves.community.post/3kabcdefghij2"}) {
            given().urlEncodingEnabled(true).when().get(path).then().statusCode(500)
                    .contentType("application/json")
                    .body("error", equalTo("InternalServerError"))
                    .body("message", equalTo("internal error"))
                    .body(not(containsString("Exception")))
                    .body(not(containsString("127.0.0.1")));
        }
    }
}
