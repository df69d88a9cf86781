package social.coves.api.writes;

import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.FaultyPdsProxy;
import social.coves.api.support.InstancePdsResource;
import social.coves.api.support.PackagedApi;
import social.coves.api.support.RunningIdentityService;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.SharedPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static social.coves.api.writes.WriteFixtures.PDS;
import static social.coves.api.writes.WriteFixtures.bearer;
import static social.coves.api.writes.WriteFixtures.newUser;
import static social.coves.api.writes.WriteFixtures.uniqueName;

/**
 * Two packaged API replicas write for the same community at the moment its access token must be refreshed: every
 * write succeeds, and the community's single-use refresh token is spent once (counted at the PDS), because refreshes
 * are serialised by the account's row lock in PostgreSQL.
 */
class TwoApiInstancesIT {

    private static final String POST = "social.coves.community.post.create";

    @Test
    void bothReplicasWriteWhileTheTokenIsRefreshedOnce() throws Exception {
        new AppviewSchemaResource().start();
        FaultyPdsProxy pds = InstancePdsResource.proxy();
        Map<String, String> env = Map.of(
                "COVES_INSTANCE_PDS_URL", pds.url(),
                "COVES_INSTANCE_DOMAIN", InstancePdsResource.stack().instanceDomain(),
                "COVES_APPVIEW_DID", InstancePdsResource.APPVIEW_DID,
                "COVES_API_SEALING_KEY", Base64.getEncoder().encodeToString("two-replicas-share-this-key-0123".getBytes()),
                "QUARKUS_REST_CLIENT_IDENTITY_URL", RunningIdentityService.againstPlc(InstancePdsResource.stack().plcUrl()).url());
        try (PackagedApi a = PackagedApi.start("api-a", env); PackagedApi b = PackagedApi.start("api-b", env)) {
            PdsAccounts.Account creator = newUser("sam");
            String name = uniqueName("twin");
            String community = given().baseUri(a.url()).header("Authorization", bearer(creator, "social.coves.community.create"))
                    .contentType("application/json").body(Map.of("name", name, "description", "two replicas"))
                    .when().post("/xrpc/social.coves.community.create").then().statusCode(200).extract().path("did");

            // tokens first (the PDS mints them), then the burst: half on each replica, released together
            int writes = 16;
            List<String> tokens = new ArrayList<>();
            List<PdsAccounts.Account> authors = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                PdsAccounts.Account author = i % 2 == 0 ? creator : newUser("w");
                authors.add(author);
                tokens.add(bearer(author, POST));
            }
            expireAccessToken(community);
            int refreshesBefore = pds.calls("com.atproto.server.refreshSession");
            int sessionsBefore = pds.calls("com.atproto.server.createSession");
            ExecutorService pool = Executors.newFixedThreadPool(writes);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                String base = i % 2 == 0 ? a.url() : b.url();
                String token = tokens.get(i);
                int n = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return given().baseUri(base).header("Authorization", token).contentType("application/json")
                            .body(Map.of("community", community, "title", "write " + n))
                            .when().post("/xrpc/" + POST).then().extract().statusCode();
                }));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(120, TimeUnit.SECONDS)).isEqualTo(200);
            }
            pool.shutdown();
            assertThat(pds.calls("com.atproto.server.refreshSession") - refreshesBefore).isEqualTo(1);
            assertThat(pds.calls("com.atproto.server.createSession") - sessionsBefore).isZero();
            assertThat(PDS.getRecord(community, "social.coves.community.profile", "self")).isPresent();
            String metrics = RestAssured.get(a.url() + "/q/metrics").asString() + RestAssured.get(b.url() + "/q/metrics").asString();
            assertThat(metrics).contains("coves_api_community_token_refreshes_total{outcome=\"refreshed\"} 1.0");
        }
    }

    private static void expireAccessToken(String did) throws Exception {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             PreparedStatement s = c.prepareStatement("UPDATE coves_api.community_accounts SET access_expires_at = now() WHERE did = ?")) {
            s.setString(1, did);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
