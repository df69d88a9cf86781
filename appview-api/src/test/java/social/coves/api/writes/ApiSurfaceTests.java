package social.coves.api.writes;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.localstack.testing.PostgresResource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
class ApiSurfaceTests {

    @Test
    void userOwnedWritesPointTheClientAtItsPds() {
        given().contentType("application/json").body("{\"community\":\"did:plc:abc\"}")
                .when().post("/xrpc/social.coves.community.subscribe")
                .then().statusCode(501).contentType("application/json")
                .body("error", equalTo("MethodNotImplemented"))
                .body("message", allOf(containsString("com.atproto.repo.createRecord"),
                        containsString("collection = social.coves.community.subscription"), containsString("contentVisibility")));
        given().contentType("application/json").body("{}")
                .when().post("/xrpc/social.coves.feed.vote.delete")
                .then().statusCode(501).body("message", containsString("com.atproto.repo.deleteRecord"));
        given().contentType("application/json").body("{}")
                .when().post("/xrpc/social.coves.community.comment.update")
                .then().statusCode(501).body("message", containsString("com.atproto.repo.putRecord"));
    }

    @Test
    void servesItsOwnDidDocumentWithTheAppViewService() {
        given().when().get("/.well-known/did.json")
                .then().statusCode(200)
                .body("id", equalTo("did:web:localhost"))
                .body("service[0].id", equalTo("#coves_appview"))
                .body("service[0].serviceEndpoint", equalTo("http://localhost:8080"));
    }

    @Test
    void protocolRefusalsAreXrpcErrorsWithTheirOwnStatus() {
        given().accept("application/xml").queryParam("community", "did:plc:abc")
                .when().get("/xrpc/social.coves.community.get")
                .then().statusCode(406).contentType("application/json").body("error", equalTo("NotAcceptable"))
                .body("message", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void unknownMethodsAreMethodNotImplementedForEitherHttpMethod() {
        given().when().get("/xrpc/social.coves.nothing.here").then().statusCode(501).body("error", equalTo("MethodNotImplemented"));
        given().contentType("application/json").body("{}").when().post("/xrpc/com.example.doThing")
                .then().statusCode(501).body("message", equalTo("method not implemented: com.example.doThing"));
    }
}
