package social.coves.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.localstack.testing.PostgresResource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
class CommunityGetTests {

    private static final String DID = "did:plc:getteststttttttttttttttt";

    @Inject
    Pool pool;

    @BeforeEach
    void seed() {
        pool.preparedQuery("INSERT INTO appview.actors (did, handle) VALUES ($1, 'c-knitting.coves.test') ON CONFLICT (did) DO NOTHING")
                .execute(Tuple.of(DID)).await().indefinitely();
        pool.preparedQuery("""
                INSERT INTO appview.communities (did, name, display_name, description, created_by, hosted_by, visibility,
                       moderation_type, content_warnings, subscriber_count, post_count, record_uri, record_cid, created_at)
                VALUES ($1, 'knitting', 'Knitting', 'Yarn and needles', 'did:plc:creatorrrrrrrrrrrrrrrrr', 'did:web:coves.test',
                       'public', 'moderator', '{spoilers}', 12, 3, $2, 'bafyreiabc', '2026-11-01T10:00:00.123456Z')
                ON CONFLICT (did) DO NOTHING""")
                .execute(Tuple.of(DID, "at://" + DID + "/social.coves.community.profile/self")).await().indefinitely();
    }

    @Test
    void returnsTheCommunityViewByDid() {
        given().queryParam("community", DID)
                .when().get("/xrpc/social.coves.community.get")
                .then().statusCode(200).contentType("application/json")
                .body(equalTo("{\"did\":\"" + DID + "\",\"handle\":\"c-knitting.coves.test\",\"name\":\"knitting\","
                        + "\"displayName\":\"Knitting\",\"displayHandle\":\"!knitting@coves.test\",\"description\":\"Yarn and needles\","
                        + "\"createdBy\":\"did:plc:creatorrrrrrrrrrrrrrrrr\",\"hostedBy\":\"did:web:coves.test\",\"visibility\":\"public\","
                        + "\"moderationType\":\"moderator\",\"contentWarnings\":[\"spoilers\"],\"createdAt\":\"2026-11-01T10:00:00.123Z\","
                        + "\"allowExternalDiscovery\":true,\"subscriberCount\":12,\"memberCount\":0,\"postCount\":3,"
                        + "\"stats\":{\"subscriberCount\":12,\"memberCount\":0,\"postCount\":3}}"));
    }

    @Test
    void findsTheSameCommunityByHandleAtHandleAndDisplayHandle() {
        for (String id : new String[] {"c-knitting.coves.test", "@C-Knitting.coves.test", "!knitting@coves.test"}) {
            given().queryParam("community", id)
                    .when().get("/xrpc/social.coves.community.get")
                    .then().statusCode(200).body("did", equalTo(DID));
        }
    }

    @Test
    void badRequestsGetXrpcErrors() {
        given().when().get("/xrpc/social.coves.community.get")
                .then().statusCode(400).body("error", equalTo("InvalidRequest")).body("message", equalTo("community is required"));
        given().queryParam("community", "did:plc:short/path").when().get("/xrpc/social.coves.community.get")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().queryParam("community", "did:plc:short").when().get("/xrpc/social.coves.community.get")   // generic DID syntax: just unknown
                .then().statusCode(404).body("error", equalTo("NotFound"));
        given().queryParam("community", "not a handle").when().get("/xrpc/social.coves.community.get")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().queryParam("community", "did:plc:unknownnnnnnnnnnnnnnnnnn").when().get("/xrpc/social.coves.community.get")
                .then().statusCode(404).body("error", equalTo("NotFound"));
        given().when().get("/xrpc/social.coves.nothing.here")
                .then().statusCode(501).body("error", equalTo("MethodNotImplemented"));
    }

    @Test
    void exposesHealthAndMetrics() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
