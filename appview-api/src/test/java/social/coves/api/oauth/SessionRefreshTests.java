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
import social.coves.api.secrets.SecretBox;
import social.coves.api.support.SignInAppResource;
import social.coves.localstack.testing.PostgresResource;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static social.coves.api.oauth.SignIns.me;
import static social.coves.api.oauth.SignIns.refresh;
import static social.coves.api.oauth.SignIns.sessionRow;
import static social.coves.api.writes.WriteFixtures.PDS;
import static social.coves.api.writes.WriteFixtures.newUser;

/**
 * {@code POST /oauth/refresh}: a new sealed token, the OAuth tokens behind it rotated at the PDS; refreshes racing on
 * one instance are serialised by the session's row lock, so every one succeeds and no spent refresh token is ever sent
 * again (the PDS would refuse it and end the session: the writes and refreshes after the race show it did not).
 * Racing on two instances sharing the database: {@link RefreshAcrossInstancesIT}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(SignInAppResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionRefreshTests {

    private static SignIns.Session session;

    @Inject
    SecretBox box;

    static SignIns.Session session() {
        if (session == null) {
            session = SignIns.signInOnMobile(SignInAppResource.publicUrl(), newUser("rfr"));
        }
        return session;
    }

    @Test
    @Order(1)
    void aRefreshGivesANewSealedTokenThatWorksAndRotatesTheOAuthTokens() {
        Map<String, Object> before = sessionRow(session().sessionId());

        Response refreshed = refresh(session());
        refreshed.then().statusCode(200);
        String token = refreshed.path("sealed_token");
        assertThat(token).isNotEqualTo(session().token()).isEqualTo(refreshed.path("access_token"));
        me(token).then().statusCode(200).body("did", equalTo(session().did()));

        Map<String, Object> after = sessionRow(session().sessionId());
        assertThat((byte[]) after.get("access_sealed")).isNotEqualTo(before.get("access_sealed"));
        assertThat(token(after, "access")).isNotEqualTo(token(before, "access"));
        assertThat(token(after, "refresh")).isNotEqualTo(token(before, "refresh"));
        assertThat((Timestamp) after.get("expires_at")).isAfter((Timestamp) before.get("expires_at"));
        assertThat(after.get("refreshed_at")).isNotNull();

        // the token must be the session's own
        SignIns.Session mismatched = new SignIns.Session(token, "did:plc:someoneelseentirely00000", session().sessionId(), null);
        refresh(mismatched).then().statusCode(401).body("error", equalTo("InvalidToken"));
        refresh(new SignIns.Session(token, session().did(), "another-session", null)).then().statusCode(401)
                .body("error", equalTo("InvalidToken"));

        session = session().withToken(token);
        String vote = SignIns.voteUp(token, SignIns.somePost()).then().statusCode(200).extract().path("uri");
        assertThat(PDS.getRecord(session().did(), "social.coves.feed.vote", vote.substring(vote.lastIndexOf('/') + 1))).isPresent();
    }

    @Test
    @Order(2)
    void refreshesRacingOnOneInstanceAllSucceedAndTheSessionStaysUsable() throws Exception {
        double refusedBefore = refusedRefreshes();
        String accessBefore = token(sessionRow(session().sessionId()), "access");
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return refresh(session());
            }));
        }
        go.countDown();
        List<String> tokens = new ArrayList<>();
        for (Future<Response> answer : answers) {
            Response response = answer.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            tokens.add(response.path("sealed_token"));
        }
        pool.shutdown();
        for (String token : tokens) {
            me(token).then().statusCode(200).body("did", equalTo(session().did()));
        }
        assertThat(refusedRefreshes()).isEqualTo(refusedBefore);
        assertThat(token(sessionRow(session().sessionId()), "access")).isNotEqualTo(accessBefore);

        // the stored tokens are the live ones: a write goes through, and so does the next refresh and a write after it
        session = session().withToken(tokens.get(0));
        SignIns.voteUp(session().token(), SignIns.somePost()).then().statusCode(200);
        String next = refresh(session()).then().statusCode(200).extract().path("sealed_token");
        SignIns.voteUp(next, SignIns.somePost()).then().statusCode(200);
        assertThat(refusedRefreshes()).isEqualTo(refusedBefore);
    }

    /** The OAuth token in the row's sealed column ({@code access} or {@code refresh}), opened. */
    private String token(Map<String, Object> row, String column) {
        return box.open((byte[]) row.get(column + "_sealed"), UserSession.sealContext((String) row.get("session_id"), column));
    }

    private static double refusedRefreshes() {
        return SignIns.counter(given().when().get("/q/metrics").asString(), "coves_api_oauth_refreshes_total", "outcome=\"refused\"");
    }
}
