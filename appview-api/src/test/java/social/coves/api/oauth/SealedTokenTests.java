package social.coves.api.oauth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.SignInAppResource;
import social.coves.localstack.testing.PostgresResource;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static social.coves.api.oauth.SignIns.me;
import static social.coves.api.oauth.SignIns.refresh;
import static social.coves.api.oauth.SignIns.timeline;
import static social.coves.api.writes.WriteFixtures.newUser;

/**
 * The sealed token an app holds: altered it does not open, expired it is refused with its own error, and once the
 * user signs out it names a session that is over here (every read that needs a viewer, {@code /api/me}) and at the
 * PDS (the refresh token was revoked there). One user signed in for the class; signing out comes last.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(SignInAppResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SealedTokenTests {

    private static SignIns.Session session;

    @Inject
    SealedTokens sealed;

    static SignIns.Session session() {
        if (session == null) {
            session = SignIns.signInOnMobile(SignInAppResource.publicUrl(), newUser("seal"));
        }
        return session;
    }

    @Test
    @Order(1)
    void aTokenWithAnyCharacterChangedDoesNotOpen() {
        String token = session().token();
        me(token).then().statusCode(200);
        // all of a middle character's bits are used (the last one may carry padding bits only)
        for (int at : List.of(0, 1, token.length() / 2, token.length() - 2)) {
            String altered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
            refused(me(altered), "InvalidToken");
            refused(timeline(altered), "InvalidToken");
        }
        refused(me(token.substring(0, token.length() - 4)), "InvalidToken");
        // sealed by this AppView, but for no session it knows
        refused(me(sealed.seal(session().did(), "no-such-session", Instant.now().plusSeconds(600))), "InvalidToken");
        me(token).then().statusCode(200).body("did", equalTo(session().did()));
    }

    @Test
    @Order(2)
    void anExpiredTokenIsRefusedAsExpiredAndCanStillBeRefreshed() {
        String expired = sealed.seal(session().did(), session().sessionId(), Instant.now().minusSeconds(1));
        refused(me(expired), "ExpiredToken");
        refused(timeline(expired), "ExpiredToken");
        refused(SignIns.voteUp(expired, SignIns.somePost()), "ExpiredToken");

        // refresh takes an expired token of its own session and gives one that works
        String renewed = refresh(session().withToken(expired)).then().statusCode(200).extract().path("sealed_token");
        me(renewed).then().statusCode(200).body("did", equalTo(session().did()));
    }

    @Test
    @Order(3)
    void afterLogoutTheTokenIsRefusedHereAndTheRefreshTokenIsRevokedAtThePds() {
        String token = session().token();
        timeline(token).then().statusCode(200);

        given().header("Authorization", "Bearer " + token).when().post("/oauth/logout")
                .then().statusCode(200).body("status", equalTo("logged_out"));

        refused(me(token), "InvalidToken");
        refused(timeline(token), "InvalidToken");
        refused(SignIns.voteUp(token, SignIns.somePost()), "InvalidToken");
        refused(refresh(session()), "InvalidToken");
        assertThat(SignIns.sessionRow(session().sessionId()).get("revoked_at")).isNotNull();

        // were the session still alive here, its refresh token would be refused by the PDS: logout revoked it there
        SignIns.setSessionColumn(session().sessionId(), "revoked_at", null);
        refused(refresh(session()), "ExpiredToken").then().body("message", containsString("no longer accepts"));
        SignIns.setSessionColumn(session().sessionId(), "revoked_at", Timestamp.from(Instant.now()));
        refused(me(token), "InvalidToken");
    }

    private static Response refused(Response response, String error) {
        response.then().statusCode(401).body("error", equalTo(error));
        return response;
    }
}
