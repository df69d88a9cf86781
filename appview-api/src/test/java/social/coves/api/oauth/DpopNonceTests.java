package social.coves.api.oauth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.SignInAppResource;
import social.coves.localstack.testing.PostgresResource;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static social.coves.api.oauth.SignIns.refresh;
import static social.coves.api.oauth.SignIns.sessionRow;
import static social.coves.api.writes.WriteFixtures.newUser;

/**
 * The PDS and its authorization server rotate their DPoP nonces: a session holding stale ones still writes and
 * refreshes (each server answers {@code use_dpop_nonce} with a new nonce, the request is sent once more with it) and
 * keeps the servers' fresh nonces, which the next write and refresh then use at the first try.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(SignInAppResource.class)
class DpopNonceTests {

    private static final String STALE_PDS_NONCE = "stale-pds-nonce-from-an-hour-ago";
    private static final String STALE_AS_NONCE = "stale-as-nonce-from-an-hour-ago";

    @Test
    void staleNoncesCostOneRetryEachAndTheSessionKeepsTheServersFreshOnes() {
        SignIns.Session session = SignIns.signInOnMobile(SignInAppResource.publicUrl(), newUser("non"));
        SignIns.voteUp(session.token(), SignIns.somePost()).then().statusCode(200);
        SignIns.setSessionColumn(session.sessionId(), "pds_nonce", STALE_PDS_NONCE);
        SignIns.setSessionColumn(session.sessionId(), "as_nonce", STALE_AS_NONCE);

        double pdsRetries = refusedCalls("pds");
        SignIns.voteUp(session.token(), SignIns.somePost()).then().statusCode(200);
        assertThat(refusedCalls("pds")).as("the stale nonce was refused once").isEqualTo(pdsRetries + 1);
        Map<String, Object> afterWrite = sessionRow(session.sessionId());
        assertThat(afterWrite.get("pds_nonce")).isNotNull().isNotEqualTo(STALE_PDS_NONCE);

        double asRetries = refusedCalls("authorization_server");
        String token = refresh(session).then().statusCode(200).extract().path("sealed_token");
        assertThat(refusedCalls("authorization_server")).as("the stale nonce was refused once").isEqualTo(asRetries + 1);
        Map<String, Object> afterRefresh = sessionRow(session.sessionId());
        assertThat(afterRefresh.get("as_nonce")).isNotNull().isNotEqualTo(STALE_AS_NONCE);

        // the nonces kept are the servers' current ones: no retry next time
        SignIns.voteUp(token, SignIns.somePost()).then().statusCode(200);
        refresh(session.withToken(token)).then().statusCode(200);
        assertThat(refusedCalls("pds")).isEqualTo(pdsRetries + 1);
        assertThat(refusedCalls("authorization_server")).isEqualTo(asRetries + 1);
    }

    /** Requests a server refused (a nonce it wanted, here), as the instance counts them. */
    private static double refusedCalls(String target) {
        return SignIns.counter(given().when().get("/q/metrics").asString(), "coves_api_oauth_upstream_calls_total",
                "target=\"" + target + "\"", "outcome=\"refused\"");
    }
}
