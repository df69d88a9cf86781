package social.coves.api.writes;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.secrets.SecretBox;
import social.coves.api.support.FaultyPdsProxy;
import social.coves.api.support.InstancePdsResource;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.PostgresResource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static social.coves.api.writes.AccountRows.column;
import static social.coves.api.writes.AccountRows.db;
import static social.coves.api.writes.AccountRows.expireAccessToken;
import static social.coves.api.writes.AccountRows.setSealed;
import static social.coves.api.writes.WriteFixtures.PDS;
import static social.coves.api.writes.WriteFixtures.bearer;
import static social.coves.api.writes.WriteFixtures.call;
import static social.coves.api.writes.WriteFixtures.createCommunity;
import static social.coves.api.writes.WriteFixtures.createPost;
import static social.coves.api.writes.WriteFixtures.newUser;
import static social.coves.api.writes.WriteFixtures.uniqueName;

/**
 * The write procedures against the real PDS of local-stack: what lands in the community's repository, who may do
 * what, what the lexicon refuses, and what happens when the PDS fails between steps or tokens expire.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(InstancePdsResource.class)
class CommunityWritesTests {

    private static final String CREATE = "social.coves.community.create";
    private static final String POST = "social.coves.community.post.create";
    private static final String DELETE = "social.coves.community.post.delete";
    private static final String UPDATE = "social.coves.community.update";
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    @Inject
    SecretBox box;

    @Test
    void aCommunityIsAnAccountOnThePdsWithItsProfileWrittenAsTheCommunity() {
        PdsAccounts.Account alice = newUser("alice");
        String name = uniqueName("garden");
        JsonPath created = createCommunity(alice, name, Map.of()).then().statusCode(200).extract().jsonPath();
        String did = created.getString("did");
        String handle = "c-" + name + "." + InstancePdsResource.stack().instanceDomain();
        assertThat(created.getString("handle")).isEqualTo(handle);
        assertThat(created.getString("uri")).isEqualTo("at://" + did + "/social.coves.community.profile/self");

        JsonNode record = PDS.getRecord(did, "social.coves.community.profile", "self").orElseThrow();
        assertThat(record.path("cid").asText()).isEqualTo(created.getString("cid"));
        assertThat(record.at("/value/name").asText()).isEqualTo(name);
        assertThat(record.at("/value/displayName").asText()).isEqualTo("The " + name);
        assertThat(record.at("/value/createdBy").asText()).isEqualTo(alice.did());
        assertThat(record.at("/value/hostedBy").asText()).isEqualTo(InstancePdsResource.APPVIEW_DID);
        // the community's credentials are stored sealed, never in the clear
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(
                "SELECT password_sealed, access_sealed, refresh_sealed, state FROM coves_api.community_accounts WHERE did = ?")) {
            s.setString(1, did);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("state")).isEqualTo("ready");
                String access = box.open(rs.getBytes("access_sealed"), "community:" + name + ":access");
                assertThat(access).startsWith("ey");
                assertThat(new String(rs.getBytes("access_sealed"), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(access);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void namesAreDnsLabelsThatFitTheHandleAndAreTakenOnce() {
        PdsAccounts.Account bob = newUser("bob");
        String longest = uniqueName("n") + "xxxxxxxxxxxxxxxx";
        longest = longest.substring(0, 16);
        createCommunity(bob, longest, Map.of()).then().statusCode(200);
        createCommunity(bob, longest, Map.of()).then().statusCode(409).body("error", equalTo("NameTaken"));
        createCommunity(newUser("carol"), longest.toUpperCase(), Map.of()).then().statusCode(409).body("error", equalTo("NameTaken"));
        for (String bad : List.of("", "-leading", "trailing-", "under_score", "dot.ted", "sp ace", "a".repeat(17))) {
            createCommunity(bob, bad, Map.of()).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        }
        createCommunity(bob, uniqueName("v"), Map.of("visibility", "secret")).then().statusCode(400)
                .body("message", containsString("visibility"));
        createCommunity(bob, uniqueName("h"), Map.of("hostedBy", "did:web:evil.example")).then().statusCode(400);
    }

    @Test
    void writesNeedATokenForThatMethod() {
        PdsAccounts.Account dave = newUser("dave");
        given().contentType("application/json").body(Map.of("name", uniqueName("x")))
                .when().post("/xrpc/" + CREATE).then().statusCode(401).body("error", equalTo("AuthenticationRequired"));
        given().header("Authorization", bearer(dave, POST)).contentType("application/json").body(Map.of("name", uniqueName("x")))
                .when().post("/xrpc/" + CREATE).then().statusCode(401).body("error", startsWith("BadJwt"));
        given().header("Authorization", bearer(dave, CREATE)).contentType("application/json").body("{\"name\": ")
                .when().post("/xrpc/" + CREATE).then().statusCode(400).body("message", containsString("not valid JSON"));
    }

    @Test
    void aPostIsWrittenIntoTheCommunityRepoWithTheCallerAsAuthor() {
        PdsAccounts.Account erin = newUser("erin");
        String name = uniqueName("news");
        String community = createCommunity(erin, name, Map.of()).then().statusCode(200).extract().path("did");
        PdsAccounts.Account frank = newUser("frank");
        JsonPath post = createPost(frank, "!" + name + "@" + InstancePdsResource.stack().instanceDomain(),
                Map.of("title", "Hello", "content", "First post", "langs", List.of("en"),
                        "labels", Map.of("values", List.of(Map.of("val", "spoiler")))))
                .then().statusCode(200).extract().jsonPath();
        assertThat(post.getString("uri")).startsWith("at://" + community + "/social.coves.community.post/");
        String rkey = post.getString("uri").substring(post.getString("uri").lastIndexOf('/') + 1);
        JsonNode record = PDS.getRecord(community, "social.coves.community.post", rkey).orElseThrow();
        assertThat(record.at("/value/author").asText()).isEqualTo(frank.did());
        assertThat(record.at("/value/community").asText()).isEqualTo(community);
        assertThat(record.at("/value/title").asText()).isEqualTo("Hello");
        assertThat(record.path("cid").asText()).isEqualTo(post.getString("cid"));

        // only the author deletes it; a missing record is already deleted
        call(erin, DELETE, Map.of("uri", post.getString("uri"))).then().statusCode(403).body("error", equalTo("NotAuthorized"));
        call(frank, DELETE, Map.of("uri", post.getString("uri"))).then().statusCode(200);
        assertThat(PDS.getRecord(community, "social.coves.community.post", rkey)).isEmpty();
        call(frank, DELETE, Map.of("uri", post.getString("uri"))).then().statusCode(200);
        call(frank, DELETE, Map.of("uri", "at://" + community + "/social.coves.feed.vote/" + rkey)).then().statusCode(400);
    }

    @Test
    void postsAreJudgedByTheLexiconInGraphemes() {
        PdsAccounts.Account gina = newUser("gina");
        String community = createCommunity(gina, uniqueName("lex"), Map.of()).then().statusCode(200).extract().path("did");
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        // 150 graphemes in 2,700 bytes: within both limits; 301 two-byte graphemes (602 bytes): over the grapheme limit
        createPost(gina, community, Map.of("title", family.repeat(150))).then().statusCode(200);
        createPost(gina, community, Map.of("title", "\u00e9".repeat(301))).then().statusCode(400).body("message", containsString("title"));
        createPost(gina, community, Map.of("content", "c".repeat(10_001))).then().statusCode(400).body("message", containsString("content"));
        createPost(gina, community, Map.of("title", "t", "langs", List.of("en", "fr", "de", "es"))).then().statusCode(400)
                .body("message", containsString("langs"));
        createPost(gina, community, Map.of("title", "t", "embed", Map.of("$type", "app.bsky.embed.external",
                "external", Map.of("uri", "https://example.com")))).then().statusCode(400).body("message", containsString("embed.$type"));
        given().header("Authorization", bearer(gina, POST)).contentType("application/json")
                .body("{\"community\":\"" + community + "\",\"content\":\"" + "x".repeat(1 << 20) + "\"}")
                .when().post("/xrpc/" + POST).then().statusCode(413).body("error", equalTo("RequestTooLarge"));
    }

    @Test
    void unknownAndForeignCommunitiesAreRefused() throws Exception {
        PdsAccounts.Account hank = newUser("hank");
        createPost(hank, "did:plc:unknowncommunityaaaaaaaa", Map.of("title", "t")).then().statusCode(404)
                .body("error", equalTo("CommunityNotFound"));
        createPost(hank, "!nothing@" + InstancePdsResource.stack().instanceDomain(), Map.of("title", "t")).then().statusCode(404);
        String foreign = "did:plc:foreigncommunityaaaaaaaa";
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO appview.communities (did, name, hosted_by, record_uri) VALUES (?, 'elsewhere', 'did:web:other.example', "
                        + "'at://' || ? || '/social.coves.community.profile/self') ON CONFLICT DO NOTHING")) {
            s.setString(1, foreign);
            s.setString(2, foreign);
            s.executeUpdate();
        }
        createPost(hank, foreign, Map.of("title", "t")).then().statusCode(403).body("message", containsString("another instance"));
    }

    @Test
    void contentRulesAndPrivateCommunities() {
        PdsAccounts.Account ivy = newUser("ivy");
        String textOnly = createCommunity(ivy, uniqueName("txt"), Map.of("contentRules", Map.of("postTypes", Map.of(
                "allowImage", false, "allowVideo", false, "allowArticle", false, "allowMicroblog", false))))
                .then().statusCode(200).extract().path("did");
        Map<String, Object> link = Map.of("$type", "social.coves.embed.external", "external", Map.of("uri", "https://example.com/a"));
        createPost(ivy, textOnly, Map.of("title", "words only")).then().statusCode(200);
        createPost(ivy, textOnly, Map.of("title", "a link", "embed", link)).then().statusCode(400)
                .body("error", equalTo("ContentRuleViolation"));

        String secret = createCommunity(ivy, uniqueName("priv"), Map.of("visibility", "private")).then().statusCode(200)
                .extract().path("did");
        createPost(newUser("jack"), secret, Map.of("title", "let me in")).then().statusCode(403).body("error", equalTo("NotAuthorized"));
        createPost(ivy, secret, Map.of("title", "the creator may")).then().statusCode(200);
    }

    @Test
    void onlyTheCreatorUpdatesAndConcurrentEditsCannotOverwriteEachOther() {
        PdsAccounts.Account kate = newUser("kate");
        String name = uniqueName("upd");
        String community = createCommunity(kate, name, Map.of()).then().statusCode(200).extract().path("did");
        call(newUser("leo"), UPDATE, Map.of("community", community, "name", "Hijacked")).then().statusCode(403)
                .body("error", equalTo("NotAuthorized"));
        // Coves' apps: communityDid + displayName + a base64 avatar
        call(kate, UPDATE, Map.of("communityDid", community, "displayName", "Renamed",
                "avatarBlob", Base64.getEncoder().encodeToString(PNG), "avatarMimeType", "image/png"))
                .then().statusCode(200).body("uri", equalTo("at://" + community + "/social.coves.community.profile/self"));
        JsonNode profile = PDS.getRecord(community, "social.coves.community.profile", "self").orElseThrow().path("value");
        assertThat(profile.path("displayName").asText()).isEqualTo("Renamed");
        assertThat(profile.at("/avatar/mimeType").asText()).isEqualTo("image/png");
        assertThat(profile.path("description").asText()).isEqualTo("about " + name);
        // the lexicon's body: community + name (the display name)
        call(kate, UPDATE, Map.of("community", community, "name", "Lexicon name")).then().statusCode(200);
        assertThat(PDS.getRecord(community, "social.coves.community.profile", "self").orElseThrow()
                .at("/value/displayName").asText()).isEqualTo("Lexicon name");
        call(kate, UPDATE, Map.of("community", community, "avatarBlob", Base64.getEncoder().encodeToString("GIF89a...".getBytes()),
                "avatarMimeType", "image/png")).then().statusCode(400).body("message", containsString("avatarMimeType"));

        // another update lands between this one's read and its write: 409, and the other one's change stays
        FaultyPdsProxy pds = InstancePdsResource.proxy();
        pds.beforeNext("com.atproto.repo.putRecord", () -> call(kate, UPDATE, Map.of("community", community,
                "displayName", "First")).then().statusCode(200));
        call(kate, UPDATE, Map.of("community", community, "displayName", "Second")).then().statusCode(409)
                .body("error", equalTo("InvalidSwap"));
        assertThat(PDS.getRecord(community, "social.coves.community.profile", "self").orElseThrow()
                .at("/value/displayName").asText()).isEqualTo("First");

        // bodies are bounded before they are parsed: 10 MiB for update, and the answer is still XRPC JSON
        given().header("Authorization", bearer(kate, UPDATE)).contentType("application/json")
                .body("{\"community\":\"" + community + "\",\"avatarBlob\":\"" + "A".repeat(10 << 20) + "\"}")
                .when().post("/xrpc/" + UPDATE).then().statusCode(413).body("error", equalTo("RequestTooLarge"));
    }

    @Test
    void aCreateInterruptedBetweenItsStepsIsFinishedByItsRetry() throws Exception {
        FaultyPdsProxy pds = InstancePdsResource.proxy();
        PdsAccounts.Account mia = newUser("mia");
        // the account is made but the profile write fails: the retry writes the profile, not a second account
        String first = uniqueName("half");
        pds.failNext("com.atproto.repo.putRecord", FaultyPdsProxy.Fault.REFUSE);
        createCommunity(mia, first, Map.of()).then().statusCode(502).body("error", equalTo("UpstreamFailure"));
        createCommunity(newUser("ned"), first, Map.of()).then().statusCode(409).body("error", equalTo("NameTaken"));
        String did = createCommunity(mia, first, Map.of()).then().statusCode(200).extract().path("did");
        assertThat(PDS.getRecord(did, "social.coves.community.profile", "self")).isPresent();

        // a creator who never retries does not hold the name forever: once the attempt is abandoned
        // (coves.instance.abandoned-creation-after), another account finishes it and is its creator
        String abandoned = uniqueName("gone");
        pds.failNext("com.atproto.repo.putRecord", FaultyPdsProxy.Fault.REFUSE);
        createCommunity(mia, abandoned, Map.of()).then().statusCode(502);
        AccountRows.execute("UPDATE coves_api.community_accounts SET updated_at = now() - interval '1 hour' WHERE name = ?", abandoned);
        PdsAccounts.Account ned = newUser("ned");
        String adopted = createCommunity(ned, abandoned, Map.of()).then().statusCode(200).extract().path("did");
        assertThat(PDS.getRecord(adopted, "social.coves.community.profile", "self").orElseThrow().at("/value/createdBy").asText())
                .isEqualTo(ned.did());
        createCommunity(mia, abandoned, Map.of()).then().statusCode(409).body("error", equalTo("NameTaken"));

        // the PDS makes the account but its answer is lost: the retry signs in with the stored password
        String second = uniqueName("lost");
        pds.failNext("com.atproto.server.createAccount", FaultyPdsProxy.Fault.LOSE_ANSWER);
        createCommunity(mia, second, Map.of()).then().statusCode(502);
        createCommunity(mia, second, Map.of()).then().statusCode(200)
                .body("handle", equalTo("c-" + second + "." + InstancePdsResource.stack().instanceDomain()));

        // the PDS is down: a clear upstream error, then the retry does it all
        String third = uniqueName("down");
        pds.down();
        try {
            createCommunity(mia, third, Map.of()).then().statusCode(502).body("error", equalTo("UpstreamFailure"));
        } finally {
            pds.up();
        }
        createCommunity(mia, third, Map.of()).then().statusCode(200);

        // a PDS that does not answer in time: 504 after coves.instance.pds-timeout
        pds.failNext("com.atproto.repo.createRecord", FaultyPdsProxy.Fault.HANG);
        try {
            createPost(mia, did, Map.of("title", "slow")).then().statusCode(504).body("error", equalTo("UpstreamTimeout"));
        } finally {
            pds.releaseHung();
        }
        createPost(mia, did, Map.of("title", "fast again")).then().statusCode(200);

        // a PDS that answers without end: read up to a cap, then a clear upstream error
        pds.failNext("com.atproto.repo.createRecord", FaultyPdsProxy.Fault.FLOOD);
        createPost(mia, did, Map.of("title", "flooded")).then().statusCode(502)
                .body("error", equalTo("UpstreamFailure")).body("message", containsString("more than"));
        createPost(mia, did, Map.of("title", "calm again")).then().statusCode(200);
    }

    @Test
    void expiredTokensAreRefreshedAndAnExpiredRefreshTokenSignsInAgain() throws Exception {
        PdsAccounts.Account olga = newUser("olga");
        String name = uniqueName("tok");
        String community = createCommunity(olga, name, Map.of()).then().statusCode(200).extract().path("did");
        byte[] firstRefresh = column(community, "refresh_sealed");

        // the stored access token is about to expire: refreshed before the write
        expireAccessToken(community);
        createPost(olga, community, Map.of("title", "after expiry")).then().statusCode(200);
        byte[] secondRefresh = column(community, "refresh_sealed");
        assertThat(box.open(secondRefresh, "community:" + name + ":refresh"))
                .isNotEqualTo(box.open(firstRefresh, "community:" + name + ":refresh"));

        // the PDS refuses the access token as expired: refreshed once and the write retried
        setSealed(community, "access_sealed", box.seal("not-a-token", "community:" + name + ":access"));
        createPost(olga, community, Map.of("title", "after refusal")).then().statusCode(200);

        // the refresh token is no longer accepted (expired or revoked): a new session from the stored password
        setSealed(community, "refresh_sealed", box.seal("not-a-refresh-token", "community:" + name + ":refresh"));
        expireAccessToken(community);
        int sessions = InstancePdsResource.proxy().calls("com.atproto.server.createSession");
        createPost(olga, community, Map.of("title", "after a new session")).then().statusCode(200);
        assertThat(InstancePdsResource.proxy().calls("com.atproto.server.createSession")).isEqualTo(sessions + 1);
    }
}
