package social.coves.api.oauth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.InstancePdsResource;
import social.coves.api.support.PackagedApi;
import social.coves.api.support.RunningIdentityService;
import social.coves.localstack.ChildJvm;
import social.coves.localstack.testing.TestTls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
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
import static social.coves.api.writes.WriteFixtures.newUser;

/**
 * Two packaged API replicas share the database, the sealing key and the OAuth client (one public URL, served by the
 * first): a user signed in through one is signed in on both, and refreshes of their session racing on both replicas
 * all succeed — the session's row lock in PostgreSQL lets one refresh at a time spend the single-use refresh token, and
 * the others take its tokens. The session is still good at the PDS afterwards: writes and the next refresh on either
 * replica go through, and no refresh was refused. Signing out on one replica ends the session on both.
 */
class RefreshAcrossInstancesIT {

    @Test
    void refreshesRacingOnTwoReplicasAllSucceedAndTheSessionStaysUsable() throws Exception {
        new AppviewSchemaResource().start();
        TestTls tls = TestTls.shared();
        int httpsPort = ChildJvm.freePort();
        String publicUrl = "https://" + tls.hostname() + ":" + httpsPort;
        Map<String, String> env = new HashMap<>(Map.of(
                "COVES_APPVIEW_PUBLIC_URL", publicUrl,
                "COVES_API_OAUTH_CLIENT_KEY", new ECKeyGenerator(Curve.P_256).keyID("it-client").generate().toJSONString(),
                "COVES_API_SEALING_KEY", Base64.getEncoder().encodeToString("two-replicas-share-this-key-0123".getBytes()),
                "QUARKUS_REST_CLIENT_IDENTITY_URL", RunningIdentityService.verifyingPdsHandles(InstancePdsResource.stack()).url(),
                // the local PDS and its authorization server are on loopback over plain http (refused in production)
                "COVES_API_OAUTH_ALLOW_PRIVATE_ADDRESSES", "true"));
        Map<String, String> serving = new HashMap<>(env);
        serving.putAll(Map.of(
                "QUARKUS_HTTP_SSL_PORT", Integer.toString(httpsPort),
                "QUARKUS_HTTP_SSL_CERTIFICATE_FILES", tls.certificatePem().toString(),
                "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", tls.privateKeyPem().toString(),
                "QUARKUS_HTTP_INSECURE_REQUESTS", "enabled"));
        try (PackagedApi a = PackagedApi.start("oauth-a", serving); PackagedApi b = PackagedApi.start("oauth-b", env)) {
            SignIns.Session session = SignIns.signInOnMobile(publicUrl, newUser("two"));
            for (PackagedApi api : List.of(a, b)) {
                given().baseUri(api.url()).header("Authorization", session.bearer()).when().get("/api/me")
                        .then().statusCode(200).body("did", equalTo(session.did()));
            }

            int racers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String base = i % 2 == 0 ? a.url() : b.url();
                answers.add(pool.submit(() -> {
                    go.await();
                    return SignIns.refresh(given().baseUri(base), session);
                }));
            }
            go.countDown();
            List<String> tokens = new ArrayList<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get(120, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
                tokens.add(response.path("sealed_token"));
            }
            pool.shutdown();
            for (int i = 0; i < tokens.size(); i++) {
                given().baseUri(i % 2 == 0 ? b.url() : a.url()).header("Authorization", "Bearer " + tokens.get(i))
                        .when().get("/api/me").then().statusCode(200).body("did", equalTo(session.did()));
            }

            // the stored tokens are the live ones, on both replicas
            SignIns.Session now = session.withToken(tokens.get(0));
            SignIns.voteUp(given().baseUri(a.url()), now.token(), SignIns.somePost()).then().statusCode(200);
            SignIns.voteUp(given().baseUri(b.url()), now.token(), SignIns.somePost()).then().statusCode(200);
            String next = SignIns.refresh(given().baseUri(b.url()), now).then().statusCode(200).extract().path("sealed_token");
            SignIns.voteUp(given().baseUri(a.url()), next, SignIns.somePost()).then().statusCode(200);

            String metrics = RestAssured.get(a.url() + "/q/metrics").asString() + RestAssured.get(b.url() + "/q/metrics").asString();
            assertThat(SignIns.counter(metrics, "coves_api_oauth_refreshes_total", "outcome=\"refused\"")).isZero();
            assertThat(SignIns.counter(metrics, "coves_api_oauth_refreshes_total", "outcome=\"refreshed\"")).isPositive();

            // signed out on one replica is signed out on both, whichever of the session's tokens is shown
            given().baseUri(b.url()).header("Authorization", "Bearer " + next).when().post("/oauth/logout")
                    .then().statusCode(200).body("status", equalTo("logged_out"));
            for (PackagedApi api : List.of(a, b)) {
                for (String token : List.of(next, tokens.get(1))) {
                    given().baseUri(api.url()).header("Authorization", "Bearer " + token).when().get("/api/me")
                            .then().statusCode(401).body("error", equalTo("InvalidToken"));
                }
            }
        }
    }
}
