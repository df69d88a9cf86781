package social.coves.identity.oauth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import social.coves.identity.support.DidDocs;
import social.coves.identity.support.PdsStackNetworkResource;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.pds.PdsStack;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.SharedPdsStack;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * {@code resolveOAuthServer} against the reference PDS (local-stack's real {@code @atproto/pds} and its PLC
 * directory): the handle resolves through the PDS's well-known, the DID document comes from the PLC directory, and
 * both metadata documents are the PDS's own.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PdsStackNetworkResource.class)
class OAuthServerPdsTest {

    @Test
    void findsTheReferencePdsAsItsOwnAuthorizationServer() {
        PdsStack.Endpoints stack = SharedPdsStack.endpoints();
        String handle = stack.handle(DidDocs.unique("oauth"));
        PdsAccounts.Account account = new PdsAccounts(stack.pdsUrl()).create(handle, handle + "@example.com", "password-1");
        String issuer = stack.pdsUrl();

        for (String identifier : new String[]{handle, account.did()}) {
            given().queryParam("identifier", identifier).get("/xrpc/social.coves.identity.resolveOAuthServer")
                    .then().statusCode(200)
                    .body("did", equalTo(account.did()))
                    .body("handle", equalTo(handle))
                    .body("pds", equalTo(issuer))
                    .body("authorizationServer.issuer", equalTo(issuer))
                    .body("authorizationServer.authorizationEndpoint", equalTo(issuer + "/oauth/authorize"))
                    .body("authorizationServer.pushedAuthorizationRequestEndpoint", equalTo(issuer + "/oauth/par"))
                    .body("authorizationServer.tokenEndpoint", equalTo(issuer + "/oauth/token"))
                    .body("authorizationServer.revocationEndpoint", equalTo(issuer + "/oauth/revoke"))
                    .body("authorizationServer.dpopSigningAlgValues", hasItem("ES256"))
                    .body("authorizationServer.scopesSupported", hasItem("atproto"));
        }
    }
}
