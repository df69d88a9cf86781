package social.coves.api.aggregators;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.communities.accounts.CommunityAccount;
import social.coves.api.communities.accounts.CommunitySessions;
import social.coves.api.communities.accounts.HostedCommunities;
import social.coves.api.pds.PdsClient;
import social.coves.api.support.InstancePdsResource;
import social.coves.api.support.PdsFeedIngestor;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.SharedPostgres;
import social.coves.localstack.testing.TestHttpsHost;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static social.coves.api.writes.WriteFixtures.PDS;
import static social.coves.api.writes.WriteFixtures.bearer;
import static social.coves.api.writes.WriteFixtures.newUser;

/**
 * Aggregators on the real path: the aggregator's service record and the community's authorization go through the
 * real PDS, its Jetstream feed, the packaged ingestor and indexer; registration proves the DID at a test HTTPS host
 * that identity-service trusts in tests only; posts are written into the community's repository with an API key or a
 * service-auth token, under the community's authorization and the hourly quota.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(InstancePdsResource.class)
class AggregatorTests {

    static final String SERVICE = "social.coves.aggregator.service";
    static final String AUTHORIZATION = "social.coves.aggregator.authorization";
    static final String WELL_KNOWN = "/.well-known/atproto-did";
    final AggregatorFixtures api = new AggregatorFixtures(null);

    @Inject
    HostedCommunities hosted;
    @Inject
    CommunitySessions sessions;
    @Inject
    PdsClient pds;

    @BeforeAll
    static void pipeline() {
        PdsFeedIngestor.ensureRunning();
    }

    @Test
    void anAggregatorRegistersGetsAKeyAndPostsOnlyWhereAndAsMuchAsItIsAllowed() throws Exception {
        PdsAccounts.Account bot = declaredAggregator("Daily news");
        Response registered = register(bot.did());
        registered.then().statusCode(200).body("did", equalTo(bot.did())).body("handle", equalTo(bot.handle()));
        register(bot.did()).then().statusCode(409).body("error", equalTo("AlreadyRegistered"));
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() ->
                services(false, bot.did()).then().statusCode(200).body("views", hasSize(1))
                        .body("views[0].displayName", equalTo("Daily news"))
                        .body("views[0].recordUri", equalTo("at://" + bot.did() + "/" + SERVICE + "/self")));

        // the key: shown once, stored only as a hash and a prefix
        Response created = api.call(bot, "social.coves.aggregator.createApiKey", Map.of());
        created.then().statusCode(200).body("did", equalTo(bot.did())).header("Cache-Control", "no-store");
        String key = created.path("key");
        assertThat(key).matches("ckapi_[0-9a-f]{64}");
        assertThat((String) created.path("keyPrefix")).isEqualTo(key.substring(0, 12));
        assertThat(storedKey(bot.did())).containsExactly(key.substring(0, 12),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes())));
        given().header("Authorization", bearer(bot, "social.coves.aggregator.getApiKey")).when().get("/xrpc/social.coves.aggregator.getApiKey")
                .then().statusCode(200).body("hasKey", equalTo(true)).body("keyInfo.prefix", equalTo(key.substring(0, 12)))
                .body("keyInfo.isRevoked", equalTo(false));
        String withKey = "Bearer " + key;

        // no authorization yet: refused; a stranger may not authorise; the moderator may
        PdsAccounts.Account moderator = newUser("mod");
        String community = api.createCommunity(moderator);
        api.post(withKey, community, "too early").then().statusCode(403).body("error", equalTo("NotAuthorized"));
        api.call(newUser("eve"), "social.coves.aggregator.enable", Map.of("community", community, "aggregatorDid", bot.did()))
                .then().statusCode(403).body("error", equalTo("NotAuthorized"));
        enable(moderator, community, bot.did());
        api.call(moderator, "social.coves.aggregator.enable", Map.of("community", community, "aggregatorDid", bot.did()))
                .then().statusCode(409).body("error", equalTo("AlreadyEnabled"));

        // posts with the key and with a service-auth token land in the community feed, marked as a bot's
        String first = api.post(withKey, community, "with the key").then().statusCode(200).extract().path("uri");
        String second = api.post(bearer(bot, AggregatorFixtures.POST), community, "with a token").then().statusCode(200).extract().path("uri");
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() -> {
            given().queryParam("community", community).queryParam("sort", "new").when().get("/xrpc/social.coves.feed.getCommunity")
                    .then().statusCode(200).body("feed.post.uri", hasItem(first)).body("feed.post.uri", hasItem(second))
                    .body("feed.post.author.did", everyItem(equalTo(bot.did())))
                    .body("feed.post.author.isAggregator", everyItem(equalTo(true)));
            given().queryParam("community", community).when().get("/xrpc/social.coves.community.get")
                    .then().statusCode(200).body("postCount", equalTo(2));
        });

        // the listings, from the index
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() -> {
            given().queryParam("community", community).when().get("/xrpc/social.coves.aggregator.listForCommunity")
                    .then().statusCode(200).body("aggregators", hasSize(1)).body("aggregators[0].aggregatorDid", equalTo(bot.did()))
                    .body("aggregators[0].enabled", equalTo(true)).body("aggregators[0].createdBy", equalTo(moderator.did()));
            given().queryParam("aggregatorDid", bot.did()).when().get("/xrpc/social.coves.aggregator.getAuthorizations")
                    .then().statusCode(200).body("authorizations", hasSize(1))
                    .body("authorizations[0].communityDid", equalTo(community))
                    .body("authorizations[0].aggregator.did", equalTo(bot.did()));
            services(true, bot.did()).then().statusCode(200).body("views[0].stats.communitiesUsing", equalTo(1))
                    .body("views[0].stats.postsCreated", equalTo(2));
        });

        // ten posts per rolling hour in one community: the 11th is refused with Retry-After
        for (int i = 3; i <= 10; i++) {
            api.post(i % 2 == 0 ? withKey : bearer(bot, AggregatorFixtures.POST), community, "post " + i).then().statusCode(200);
        }
        Response eleventh = api.post(withKey, community, "post 11");
        eleventh.then().statusCode(429).body("error", equalTo("RateLimitExceeded"));
        assertThat(Long.parseLong(eleventh.header("Retry-After"))).isBetween(1L, 3600L);

        // disabled: refused at once, before any indexing
        api.call(moderator, "social.coves.aggregator.disable", Map.of("community", community, "aggregatorDid", bot.did()))
                .then().statusCode(200).body("disabledAt", not(empty()));
        api.post(withKey, community, "after the disable").then().statusCode(403).body("error", equalTo("NotAuthorized"));
        api.call(moderator, "social.coves.aggregator.disable", Map.of("community", community, "aggregatorDid", bot.did()))
                .then().statusCode(409).body("error", equalTo("AlreadyDisabled"));

        // retargeted (the community's record now names another aggregator): refused at once, and the old pairing retires
        String other = api.createCommunity(moderator);
        String authorization = enable(moderator, other, bot.did());
        api.post(withKey, other, "allowed here").then().statusCode(200);
        // the moderator changes the configuration in place; the index follows
        api.call(moderator, "social.coves.aggregator.updateConfig", Map.of("community", other, "aggregatorDid", bot.did(),
                        "config", Map.of("feed", "https://news.example/other.rss")))
                .then().statusCode(200).body("uri", equalTo(authorization))
                .body("authorization.config.feed", equalTo("https://news.example/other.rss"));
        api.call(moderator, "social.coves.aggregator.updateConfig", Map.of("community", other, "aggregatorDid", bot.did(), "config", "text"))
                .then().statusCode(400).body("error", equalTo("InvalidConfig"));
        api.call(moderator, "social.coves.aggregator.updateConfig", Map.of("community", community, "aggregatorDid", bot.did(),
                "config", Map.of())).then().statusCode(404).body("error", equalTo("AuthorizationNotFound"));
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() ->
                given().queryParam("community", other).when().get("/xrpc/social.coves.aggregator.listForCommunity")
                        .then().statusCode(200).body("aggregators[0].config.feed", equalTo("https://news.example/other.rss")));
        PdsAccounts.Account successor = declaredAggregator("Successor");
        rewriteAsCommunity(other, authorization, record -> record.put("aggregatorDid", successor.did()));
        api.post(withKey, other, "after the retarget").then().statusCode(403).body("error", equalTo("NotAuthorized"));
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() -> {
            given().queryParam("community", other).when().get("/xrpc/social.coves.aggregator.listForCommunity")
                    .then().statusCode(200).body("aggregators.aggregatorDid", equalTo(java.util.List.of(successor.did())));
            given().queryParam("aggregatorDid", bot.did()).queryParam("enabledOnly", "false").when()
                    .get("/xrpc/social.coves.aggregator.getAuthorizations")
                    .then().statusCode(200).body("authorizations.communityDid", equalTo(java.util.List.of(community)))
                    .body("authorizations[0].enabled", equalTo(false));
        });

        // revoked: the key is refused; a new key works again
        api.call(bot, "social.coves.aggregator.revokeApiKey", Map.of()).then().statusCode(200).body("revokedAt", not(empty()));
        api.post(withKey, community, "revoked").then().statusCode(401).body("error", equalTo("InvalidToken"));
        api.call(bot, "social.coves.aggregator.revokeApiKey", Map.of()).then().statusCode(400).body("error", equalTo("ApiKeyAlreadyRevoked"));
        given().header("Authorization", bearer(bot, "social.coves.aggregator.getApiKey")).when().get("/xrpc/social.coves.aggregator.getApiKey")
                .then().statusCode(200).body("keyInfo.isRevoked", equalTo(true)).body("keyInfo.revokedAt", not(empty()));
    }

    @Test
    void registrationNeedsTheDomainToNameExactlyThatDid() {
        PdsAccounts.Account bot = newUser("reg");
        TestHttpsHost host = TestHttpsHost.shared();
        register("did:example:nope").then().statusCode(400).body("error", equalTo("InvalidDID"));
        host.serve(WELL_KNOWN, 200, "did:plc:someoneelseentirelyxxxxx\n");
        registerAt(bot.did(), host.domain()).then().statusCode(401).body("error", equalTo("DomainVerificationFailed"))
                .body("message", containsString("Mismatch"));
        host.redirect(WELL_KNOWN, "https://" + host.domain() + "/elsewhere");
        registerAt(bot.did(), host.domain()).then().statusCode(401).body("error", equalTo("DomainVerificationFailed"))
                .body("message", containsString("Redirect"));
        host.serve(WELL_KNOWN, 404, "");
        registerAt(bot.did(), host.domain()).then().statusCode(401).body("error", equalTo("DomainVerificationFailed"))
                .body("message", containsString("NotFound"));
        registerAt(bot.did(), "http://" + host.domain()).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        registerAt(bot.did(), "10.0.0.5").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().contentType("application/json").body(Map.of("did", bot.did())).when().post("/xrpc/social.coves.aggregator.register")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().header("Authorization", bearer(bot, "social.coves.aggregator.getApiKey")).when().get("/xrpc/social.coves.aggregator.getApiKey")
                .then().statusCode(403).body("error", equalTo("AggregatorRequired"));
    }

    @Test
    void malformedUnknownAndMisplacedKeysAreRefused() {
        String community = api.createCommunity(newUser("mod"));
        api.post("Bearer ckapi_12345", community, "short").then().statusCode(401).body("error", equalTo("InvalidToken"))
                .body("message", containsString("malformed"));
        api.post("Bearer ckapi_" + "A".repeat(64), community, "upper case").then().statusCode(401).body("error", equalTo("InvalidToken"));
        api.post("Bearer ckapi_" + "0".repeat(64), community, "unknown").then().statusCode(401).body("error", equalTo("InvalidToken"))
                .body("message", containsString("unknown or revoked"));
        api.call("Bearer ckapi_" + "0".repeat(64), "social.coves.aggregator.createApiKey", Map.of())
                .then().statusCode(401).body("error", equalTo("AuthenticationRequired"));
        api.call(newUser("nobot"), "social.coves.aggregator.createApiKey", Map.of())
                .then().statusCode(403).body("error", equalTo("AggregatorRequired"));
    }

    @Test
    void recordsThatClaimAnotherRepoAreNeverIndexed() {
        PdsAccounts.Account impostor = newUser("imp");
        PdsAccounts.Account victim = newUser("vic");
        PDS.putRecord(impostor, SERVICE, "self", AggregatorFixtures.serviceRecord(victim.did(), "Not me"));
        PdsAccounts.Account moderator = newUser("mod");
        String community = api.createCommunity(moderator);
        String elsewhere = api.createCommunity(moderator);
        PdsAccounts.Account marker = declaredAggregator("Marker");
        awaitIndexed(marker.did());
        // an authorization in one community's repo that claims to be another community's
        CommunityAccount account = hosted.require(community, "CommunityNotFound");
        ObjectNode forged = new ObjectMapper().createObjectNode().put("$type", AUTHORIZATION).put("aggregatorDid", marker.did())
                .put("communityDid", elsewhere).put("enabled", true).put("createdAt", Instant.now().toString()).put("createdBy", moderator.did());
        sessions.asCommunity(account, token -> pds.createRecord(account.pds(), token, account.did(), AUTHORIZATION, forged));
        // written after both: once it is indexed, the forged records would have been too
        String later = api.createCommunity(moderator);
        enable(moderator, later, marker.did());
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() ->
                given().queryParam("community", later).when().get("/xrpc/social.coves.aggregator.listForCommunity")
                        .then().statusCode(200).body("aggregators", hasSize(1)));
        services(false, impostor.did(), victim.did()).then().statusCode(200).body("views", hasSize(0));
        for (String c : new String[]{community, elsewhere}) {
            given().queryParam("community", c).when().get("/xrpc/social.coves.aggregator.listForCommunity")
                    .then().statusCode(200).body("aggregators", hasSize(0));
        }
        // and a post.create by the marker into the forged community is refused: the repo's record names another community
        given().queryParam("community", "did:plc:nosuchcommunityanywhere1").when().get("/xrpc/social.coves.aggregator.listForCommunity")
                .then().statusCode(404).body("error", equalTo("CommunityNotFound"));
        given().queryParam("aggregatorDid", impostor.did()).when().get("/xrpc/social.coves.aggregator.getAuthorizations")
                .then().statusCode(404).body("error", equalTo("AggregatorNotFound"));
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    /** A new account that declares itself an aggregator in its own repository. */
    private static PdsAccounts.Account declaredAggregator(String displayName) {
        PdsAccounts.Account bot = newUser("bot");
        PDS.putRecord(bot, SERVICE, "self", AggregatorFixtures.serviceRecord(bot.did(), displayName));
        return bot;
    }

    private static void awaitIndexed(String aggregator) {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() ->
                services(false, aggregator).then().statusCode(200).body("views", hasSize(1)));
    }

    private Response register(String did) {
        TestHttpsHost.shared().serve(WELL_KNOWN, 200, did + "\n");
        return registerAt(did, TestHttpsHost.shared().domain());
    }

    private static Response registerAt(String did, String domain) {
        return given().contentType("application/json").body(Map.of("did", did, "domain", domain))
                .when().post("/xrpc/social.coves.aggregator.register");
    }

    private static Response services(boolean detailed, String... dids) {
        return given().queryParam("dids", (Object[]) dids).queryParam("detailed", detailed).when().get("/xrpc/social.coves.aggregator.getServices");
    }

    private String enable(PdsAccounts.Account moderator, String community, String aggregator) {
        return api.call(moderator, "social.coves.aggregator.enable", Map.of("community", community, "aggregatorDid", aggregator,
                        "config", Map.of("feed", "https://news.example/rss")))
                .then().statusCode(200).body("authorization.enabled", equalTo(true)).body("authorization.communityDid", equalTo(community))
                .extract().path("uri");
    }

    /** Changes a record in a community's repository with the community's own credentials, as any of its tools could. */
    private void rewriteAsCommunity(String community, String uri, java.util.function.Consumer<ObjectNode> change) {
        CommunityAccount account = hosted.require(community, "CommunityNotFound");
        String rkey = uri.substring(uri.lastIndexOf('/') + 1);
        ObjectNode record = (ObjectNode) pds.getRecord(account.pds(), account.did(), AUTHORIZATION, rkey).orElseThrow().path("value").deepCopy();
        change.accept(record);
        sessions.asCommunity(account, token -> pds.putRecord(account.pds(), token, account.did(), AUTHORIZATION, rkey, record, null));
    }

    private static java.util.List<String> storedKey(String did) throws Exception {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             PreparedStatement s = c.prepareStatement("SELECT key_prefix, key_hash FROM coves_api.aggregator_api_keys WHERE aggregator_did = ?")) {
            s.setString(1, did);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return java.util.List.of(rs.getString(1), rs.getString(2));
            }
        }
    }
}
