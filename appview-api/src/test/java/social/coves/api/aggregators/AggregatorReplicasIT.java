package social.coves.api.aggregators;

import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.InstancePdsResource;
import social.coves.api.support.PackagedApi;
import social.coves.api.support.RunningIdentityService;
import social.coves.localstack.pds.PdsAccounts;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static social.coves.api.writes.WriteFixtures.PDS;
import static social.coves.api.writes.WriteFixtures.bearer;
import static social.coves.api.writes.WriteFixtures.newUser;

/**
 * Two packaged API replicas share one aggregator's quota and key: of twelve posts sent to both at once, exactly ten
 * are written (the rest are 429 with {@code Retry-After}), a trusted aggregator is exempt, a key revoked on one
 * replica is refused by the other at once, and {@code register} has its own per-address limit.
 */
class AggregatorReplicasIT {

    @Test
    void replicasCountOneQuotaAndForgetARevokedKeyTogether() throws Exception {
        new AppviewSchemaResource().start();
        PdsAccounts.Account trusted = newUser("vip");   // exempt from the hourly quota by configuration
        Map<String, String> env = Map.of(
                "COVES_AGGREGATORS_TRUSTED", trusted.did(),
                "COVES_INSTANCE_PDS_URL", InstancePdsResource.stack().pdsUrl(),
                "COVES_INSTANCE_DOMAIN", InstancePdsResource.stack().instanceDomain(),
                "COVES_APPVIEW_DID", InstancePdsResource.APPVIEW_DID,
                "COVES_API_SEALING_KEY", Base64.getEncoder().encodeToString("aggregator-replicas-share-this-k".getBytes()),
                "QUARKUS_REST_CLIENT_IDENTITY_URL", RunningIdentityService.againstPlc(InstancePdsResource.stack().plcUrl()).url());
        try (PackagedApi a = PackagedApi.start("api-agg-a", env); PackagedApi b = PackagedApi.start("api-agg-b", env)) {
            AggregatorFixtures onA = new AggregatorFixtures(a.url());
            AggregatorFixtures onB = new AggregatorFixtures(b.url());
            PdsAccounts.Account moderator = newUser("mod");
            PdsAccounts.Account bot = newUser("bot");
            PDS.putRecord(bot, "social.coves.aggregator.service", "self", AggregatorFixtures.serviceRecord(bot.did(), "Replica bot"));
            AggregatorFixtures.registerDirectly(bot.did());
            AggregatorFixtures.indexServiceDirectly(bot.did());   // no indexer runs here; indexing has its own tests
            String community = onA.createCommunity(moderator);
            onA.call(moderator, "social.coves.aggregator.enable", Map.of("community", community, "aggregatorDid", bot.did()))
                    .then().statusCode(200).body("authorization.enabled", equalTo(true));
            String key = "Bearer " + onB.call(bot, "social.coves.aggregator.createApiKey", Map.of())
                    .then().statusCode(200).extract().path("key");

            // twelve posts at once, alternating replicas, half with the key and half with service-auth tokens
            int attempts = 12;
            List<String> credentials = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                credentials.add(i % 3 == 0 ? bearer(bot, AggregatorFixtures.POST) : key);
            }
            ExecutorService pool = Executors.newFixedThreadPool(attempts);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<io.restassured.response.Response>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                AggregatorFixtures on = i % 2 == 0 ? onA : onB;
                String credential = credentials.get(i);
                int n = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return on.post(credential, community, "burst " + n);
                }));
            }
            go.countDown();
            int written = 0;
            int refused = 0;
            for (Future<io.restassured.response.Response> result : results) {
                io.restassured.response.Response response = result.get(120, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    written++;
                } else {
                    assertThat(response.statusCode()).as(response.asString()).isEqualTo(429);
                    assertThat(response.jsonPath().getString("error")).isEqualTo("RateLimitExceeded");
                    assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, 3600L);
                    refused++;
                }
            }
            pool.shutdown();
            assertThat(written).isEqualTo(10);
            assertThat(refused).isEqualTo(2);
            onB.post(key, community, "an 11th, later").then().statusCode(429).body("error", equalTo("RateLimitExceeded"));
            assertThat(PDS.listRecords(community, "social.coves.community.post").stream()
                    .filter(r -> bot.did().equals(r.path("value").path("author").asText())).count()).isEqualTo(10);

            // a trusted aggregator is not held to the quota (it still needs the authorization)
            AggregatorFixtures.registerDirectly(trusted.did());
            AggregatorFixtures.indexServiceDirectly(trusted.did());
            onB.post(bearer(trusted, AggregatorFixtures.POST), community, "not yet").then().statusCode(403).body("error", equalTo("NotAuthorized"));
            onA.call(moderator, "social.coves.aggregator.enable", Map.of("community", community, "aggregatorDid", trusted.did()))
                    .then().statusCode(200);
            for (int i = 0; i < 11; i++) {
                (i % 2 == 0 ? onA : onB).post(bearer(trusted, AggregatorFixtures.POST), community, "trusted " + i).then().statusCode(200);
            }
            String metrics = io.restassured.RestAssured.get(a.url() + "/q/metrics").asString()
                    + io.restassured.RestAssured.get(b.url() + "/q/metrics").asString();
            assertThat(metrics).contains("coves_api_aggregator_posts_total{outcome=\"quota\"}")
                    .contains("coves_api_aggregator_posts_total{outcome=\"written\"}")
                    .contains("coves_api_aggregator_posts_total{outcome=\"not_authorized\"}");

            // a key revoked through one replica is refused by the other at once
            onA.call(bot, "social.coves.aggregator.revokeApiKey", Map.of()).then().statusCode(200);
            onB.post(key, community, "with a revoked key").then().statusCode(401).body("error", equalTo("InvalidToken"));
            onA.post(key, community, "with a revoked key").then().statusCode(401).body("error", equalTo("InvalidToken"));

            // register: ten per address per ten minutes on a replica, then 429 with Retry-After
            for (int i = 0; i < 10; i++) {
                onB.request().contentType("application/json").body(Map.of("did", "not-a-did", "domain", "bot.example.test"))
                        .when().post("/xrpc/social.coves.aggregator.register").then().statusCode(400).body("error", equalTo("InvalidDID"));
            }
            String retryAfter = onB.request().contentType("application/json").body(Map.of("did", bot.did(), "domain", "bot.example.test"))
                    .when().post("/xrpc/social.coves.aggregator.register").then().statusCode(429)
                    .body("error", equalTo("RateLimitExceeded")).extract().header("Retry-After");
            assertThat(Long.parseLong(retryAfter)).isBetween(1L, 600L);
        }
    }
}
