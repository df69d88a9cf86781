package social.coves.identity;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class IdentityServiceTests {

    @Test
    void answersHealthAndMetrics() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void unimplementedMethodsAreXrpcErrors() {
        given().queryParam("handle", "alice.test").when().get("/xrpc/com.atproto.identity.resolveHandle")
                .then().statusCode(501).contentType("application/json").body("error", equalTo("MethodNotImplemented"));
    }
}
