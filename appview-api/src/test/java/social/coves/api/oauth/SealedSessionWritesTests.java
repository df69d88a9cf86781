package social.coves.api.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.InstancePdsResource;
import social.coves.api.support.PdsFeedIngestor;
import social.coves.api.support.SignInAppResource;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.PostgresResource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static social.coves.api.oauth.SignIns.as;
import static social.coves.api.writes.WriteFixtures.PDS;
import static social.coves.api.writes.WriteFixtures.call;
import static social.coves.api.writes.WriteFixtures.createCommunity;
import static social.coves.api.writes.WriteFixtures.createPost;
import static social.coves.api.writes.WriteFixtures.newUser;
import static social.coves.api.writes.WriteFixtures.uniqueName;

/**
 * The user-owned writes beyond subscriptions, votes and comments, done by the AppView for a user signed in through
 * it (once, in a real browser): community and user blocks, comment updates guarded by {@code swapRecord}, and the
 * profile with its avatar and banner uploaded as blobs. Each record is read back from the user's repository on the
 * PDS, and what the index makes of it (fed only by Jetstream) is read from the API.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(SignInAppResource.class)
class SealedSessionWritesTests {

    private static final String BLOCK = "social.coves.community.block";
    private static final String USER_BLOCK = "social.coves.actor.block";
    private static final String COMMENT = "social.coves.community.comment";
    private static final String PROFILE = "social.coves.actor.profile";

    private static PdsAccounts.Account user;
    private static String token;

    @BeforeAll
    static void signIn() {
        PdsFeedIngestor.ensureRunning();
        user = newUser("sealed");
        token = SignIns.signInOnMobile(SignInAppResource.publicUrl(), user).token();
    }

    @Test
    void blocksACommunityOnceAndUnblocksIt() {
        String community = community("blk");

        Response blocked = as(token, "social.coves.community.blockCommunity", Map.of("community", community));
        blocked.then().statusCode(200);
        String uri = blocked.path("block.recordUri");
        String cid = blocked.path("block.recordCid");
        JsonNode record = PDS.getRecord(user.did(), BLOCK, rkey(uri)).orElseThrow();
        assertThat(record.path("cid").asText()).isEqualTo(cid);
        assertThat(record.path("value").path("subject").asText()).isEqualTo(community);
        assertThat(record.path("value").path("$type").asText()).isEqualTo(BLOCK);

        as(token, "social.coves.community.blockCommunity", Map.of("community", community))
                .then().statusCode(200).body("block.recordUri", equalTo(uri)).body("block.recordCid", equalTo(cid));
        assertThat(PDS.listRecords(user.did(), BLOCK)).extracting(r -> r.path("value").path("subject").asText())
                .containsOnlyOnce(community);

        await().atMost(60, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertThat(indexedBlocks(community)).isEqualTo(1));
        assertThat(listedViewer(community)).containsEntry("blocked", true);

        as(token, "social.coves.community.unblockCommunity", Map.of("community", community)).then().statusCode(200);
        assertThat(PDS.getRecord(user.did(), BLOCK, rkey(uri))).isEmpty();
        assertThat(listedViewer(community)).containsEntry("blocked", false);
        as(token, "social.coves.community.unblockCommunity", Map.of("community", community))
                .then().statusCode(404).body("error", equalTo("BlockNotFound")).body("message", containsString(community));
        await().atMost(60, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertThat(indexedBlocks(community)).isZero());
        assertThat(listedViewer(community)).containsEntry("blocked", false);

        as(token, "social.coves.community.blockCommunity", Map.of("community", "did:plc:nosuchcommunity0000000000"))
                .then().statusCode(404).body("error", equalTo("CommunityNotFound"));
    }

    @Test
    void blocksAUserByHandleOrDidOnceAndUnblocksThem() {
        PdsAccounts.Account other = newUser("blocked");

        Response blocked = as(token, "social.coves.actor.blockUser", Map.of("subject", other.handle()));
        blocked.then().statusCode(200);
        String uri = blocked.path("block.recordUri");
        assertThat(uri).startsWith("at://" + user.did() + "/" + USER_BLOCK + "/");
        JsonNode record = PDS.getRecord(user.did(), USER_BLOCK, rkey(uri)).orElseThrow().path("value");
        assertThat(record.path("subject").asText()).isEqualTo(other.did());
        assertThat(record.path("createdAt").asText()).isNotBlank();
        as(token, "social.coves.actor.blockUser", Map.of("subject", other.did()))
                .then().statusCode(200).body("block.recordUri", equalTo(uri)).body("block.recordCid", equalTo(blocked.path("block.recordCid")));

        as(token, "social.coves.actor.unblockUser", Map.of("subject", other.did())).then().statusCode(200);
        assertThat(PDS.getRecord(user.did(), USER_BLOCK, rkey(uri))).isEmpty();
        as(token, "social.coves.actor.unblockUser", Map.of("subject", other.handle()))
                .then().statusCode(404).body("error", equalTo("BlockNotFound"));

        as(token, "social.coves.actor.blockUser", Map.of("subject", user.did()))
                .then().statusCode(400).body("message", containsString("yourself"));
        as(token, "social.coves.actor.blockUser", Map.of("subject", "not a user"))
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void aUserBlockWrittenElsewhereIsFoundInTheRepository() {
        PdsAccounts.Account other = newUser("elsewhere");
        PdsAccounts.Account self = PDS.login(user.did(), SignIns.password(user));
        PdsAccounts.RecordRef made = PDS.createRecord(self, USER_BLOCK, null,
                Map.of("$type", USER_BLOCK, "subject", other.did(), "createdAt", "2026-01-01T00:00:00.000Z"));

        as(token, "social.coves.actor.blockUser", Map.of("subject", other.did()))
                .then().statusCode(200).body("block.recordUri", equalTo(made.uri())).body("block.recordCid", equalTo(made.cid()));
        as(token, "social.coves.actor.unblockUser", Map.of("subject", other.did())).then().statusCode(200);
        assertThat(PDS.getRecord(user.did(), USER_BLOCK, rkey(made.uri()))).isEmpty();
    }

    @Test
    void updatesOwnCommentsKeepingThreadAndCreatedAtWithSwapRecord() {
        Map<String, String> post = post();
        Map<String, Object> onPost = Map.of("root", post, "parent", post);
        Response created = as(token, "social.coves.community.comment.create", Map.of("reply", onPost, "content", "frist",
                "langs", List.of("en")));
        created.then().statusCode(200);
        String uri = created.path("uri");
        String firstCid = created.path("cid");
        JsonNode before = PDS.getRecord(user.did(), COMMENT, rkey(uri)).orElseThrow().path("value");

        Response updated = as(token, "social.coves.community.comment.update",
                Map.of("uri", uri, "content", "first, spelled right", "swapRecord", firstCid));
        updated.then().statusCode(200).body("uri", equalTo(uri));
        String secondCid = updated.path("cid");
        assertThat(secondCid).isNotEqualTo(firstCid);
        JsonNode after = PDS.getRecord(user.did(), COMMENT, rkey(uri)).orElseThrow();
        assertThat(after.path("cid").asText()).isEqualTo(secondCid);
        assertThat(after.path("value").path("content").asText()).isEqualTo("first, spelled right");
        assertThat(after.path("value").path("reply")).isEqualTo(before.path("reply"));
        assertThat(after.path("value").path("createdAt")).isEqualTo(before.path("createdAt"));
        assertThat(after.path("value").path("langs")).isEqualTo(before.path("langs"));

        // a client that read the first version loses the race and the record stays as it is
        as(token, "social.coves.community.comment.update", Map.of("uri", uri, "content", "stale edit", "swapRecord", firstCid))
                .then().statusCode(409).body("error", equalTo("InvalidSwap"));
        assertThat(PDS.getRecord(user.did(), COMMENT, rkey(uri)).orElseThrow().path("cid").asText()).isEqualTo(secondCid);

        // refusals: another user's comment, a missing one, empty content, a changed thread
        PdsAccounts.Account other = newUser("stranger");
        String theirs = "at://" + other.did() + "/" + COMMENT + "/3kabcdefghij2";
        as(token, "social.coves.community.comment.update", Map.of("uri", theirs, "content", "mine now"))
                .then().statusCode(403).body("error", equalTo("NotAuthorized"));
        as(token, "social.coves.community.comment.update",
                Map.of("uri", "at://" + user.did() + "/" + COMMENT + "/3kabcdefghij2", "content", "x"))
                .then().statusCode(404).body("error", equalTo("CommentNotFound"));
        as(token, "social.coves.community.comment.update", Map.of("uri", uri, "content", "   "))
                .then().statusCode(400).body("error", equalTo("ContentEmpty"));
        Map<String, Object> elsewhere = Map.of("root", post, "parent", Map.of("uri", uri, "cid", secondCid));
        as(token, "social.coves.community.comment.update", Map.of("uri", uri, "content", "moved", "reply", elsewhere))
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
    }

    @Test
    void updatesTheProfileWithAvatarAndBannerBlobsKeepingWhatIsNotSent() {
        byte[] avatar = image("png", 64, 64);
        byte[] banner = image("jpeg", 300, 100);
        Response updated = as(token, "social.coves.actor.updateProfile", Map.of("displayName", "Sealed Sam", "bio", "I write through the AppView",
                "avatar", base64(avatar), "avatarMimeType", "image/png", "banner", base64(banner), "bannerMimeType", "image/jpeg"));
        updated.then().statusCode(200).body("uri", equalTo("at://" + user.did() + "/" + PROFILE + "/self"));
        JsonNode stored = PDS.getRecord(user.did(), PROFILE, "self").orElseThrow();
        assertThat(stored.path("cid").asText()).isEqualTo(updated.<String>path("cid"));
        JsonNode profile = stored.path("value");
        assertThat(profile.path("displayName").asText()).isEqualTo("Sealed Sam");
        assertThat(profile.path("bio").asText()).isEqualTo("I write through the AppView");
        assertThat(profile.path("createdAt").asText()).isNotBlank();
        String avatarCid = blobCid(profile.path("avatar"), "image/png", avatar.length);
        String bannerCid = blobCid(profile.path("banner"), "image/jpeg", banner.length);
        assertThat(blob(avatarCid)).isEqualTo(avatar);
        assertThat(blob(bannerCid)).isEqualTo(banner);

        // only the name: the bio and both images stay
        as(token, "social.coves.actor.updateProfile", Map.of("displayName", "Sam")).then().statusCode(200);
        JsonNode renamed = PDS.getRecord(user.did(), PROFILE, "self").orElseThrow().path("value");
        assertThat(renamed.path("displayName").asText()).isEqualTo("Sam");
        assertThat(renamed.path("bio")).isEqualTo(profile.path("bio"));
        assertThat(renamed.path("avatar")).isEqualTo(profile.path("avatar"));
        assertThat(renamed.path("banner")).isEqualTo(profile.path("banner"));
        assertThat(renamed.path("createdAt")).isEqualTo(profile.path("createdAt"));

        await().atMost(60, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS).untilAsserted(() ->
                given().queryParam("actor", user.did()).when().get("/xrpc/social.coves.actor.getProfile")
                        .then().statusCode(200).body("displayName", equalTo("Sam"))
                        .body("bio", equalTo("I write through the AppView"))
                        .body("avatar", containsString(avatarCid)).body("banner", containsString(bannerCid)));
    }

    @Test
    void refusesImagesTooLargeOrNotWhatTheySay() {
        String before = PDS.getRecord(user.did(), PROFILE, "self").map(r -> r.path("cid").asText()).orElse(null);
        byte[] png = image("png", 8, 8);
        byte[] hugeAvatar = Arrays.copyOf(png, 1_000_001);
        byte[] hugeBanner = Arrays.copyOf(png, 2_000_001);
        byte[] gif = "GIF89a-not-really".getBytes(StandardCharsets.US_ASCII);

        refused(Map.of("avatar", base64(hugeAvatar), "avatarMimeType", "image/png"), "at most 1000000");
        refused(Map.of("banner", base64(hugeBanner), "bannerMimeType", "image/png"), "at most 2000000");
        refused(Map.of("avatar", base64(gif), "avatarMimeType", "image/png"), "match the bytes");
        refused(Map.of("avatar", base64(gif), "avatarMimeType", "image/gif"), "image/png, image/jpeg or image/webp");
        refused(Map.of("avatar", base64(png)), "avatarMimeType is required");
        assertThat(PDS.getRecord(user.did(), PROFILE, "self").map(r -> r.path("cid").asText()).orElse(null)).isEqualTo(before);
    }

    @Test
    void othersAreToldWhatToWriteOnTheirOwnPds() {
        PdsAccounts.Account other = newUser("svc");
        call(other, "social.coves.actor.blockUser", Map.of("subject", user.did()))
                .then().statusCode(501).body("error", equalTo("MethodNotImplemented"))
                .body("message", containsString("com.atproto.repo.createRecord"))
                .body("message", containsString("collection = social.coves.actor.block"))
                .body("message", containsString("/oauth/login"));
        call(other, "social.coves.actor.updateProfile", Map.of("displayName", "x"))
                .then().statusCode(501).body("message", containsString("com.atproto.repo.putRecord"))
                .body("message", containsString("uploadBlob"));
        call(other, "social.coves.community.comment.update", Map.of("uri", "at://x/y/z", "content", "x"))
                .then().statusCode(501).body("message", containsString("swapRecord"));
    }

    private static void refused(Map<String, Object> body, String message) {
        as(token, "social.coves.actor.updateProfile", body)
                .then().statusCode(400).body("error", equalTo("InvalidRequest")).body("message", containsString(message));
    }

    private static String community(String prefix) {
        PdsAccounts.Account creator = newUser("mod");
        String community = createCommunity(creator, uniqueName(prefix), Map.of()).then().statusCode(200).extract().path("did");
        await().atMost(60, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS).untilAsserted(() ->
                given().queryParam("community", community).when().get("/xrpc/social.coves.community.get").then().statusCode(200));
        return community;
    }

    /** A post to comment on, as a strong reference. */
    private static Map<String, String> post() {
        PdsAccounts.Account creator = newUser("op");
        String community = createCommunity(creator, uniqueName("cmt"), Map.of()).then().statusCode(200).extract().path("did");
        String uri = createPost(creator, community, Map.of("title", "Edit me", "content", "hi")).then().statusCode(200).extract().path("uri");
        String cid = PDS.getRecord(community, "social.coves.community.post", rkey(uri)).orElseThrow().path("cid").asText();
        return Map.of("uri", uri, "cid", cid);
    }

    /** The signed-in user's viewer state of {@code community} in community.list (newest first, where a new one is). */
    private static Map<String, Object> listedViewer(String community) {
        JsonPath page = given().header("Authorization", "Bearer " + token).queryParam("sort", "new").queryParam("limit", 100)
                .when().get("/xrpc/social.coves.community.list").then().statusCode(200).extract().jsonPath();
        Map<String, Object> viewer = page.getMap("communities.find { it.did == '" + community + "' }.viewer");
        assertThat(viewer).as("community %s is listed with a viewer state", community).isNotNull();
        return viewer;
    }

    private static int indexedBlocks(String community) throws SQLException {
        try (Connection c = SignIns.db(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM appview.community_blocks WHERE blocker_did = ? AND community_did = ?")) {
            s.setString(1, user.did());
            s.setString(2, community);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The blob reference's CID, after checking it is a blob of that type and size. */
    private static String blobCid(JsonNode blob, String mimeType, int size) {
        assertThat(blob.path("$type").asText()).isEqualTo("blob");
        assertThat(blob.path("mimeType").asText()).isEqualTo(mimeType);
        assertThat(blob.path("size").asInt()).isEqualTo(size);
        String cid = blob.path("ref").path("$link").asText();
        assertThat(cid).startsWith("baf");
        return cid;
    }

    /** The blob's bytes as the PDS serves them ({@code com.atproto.sync.getBlob}). */
    private static byte[] blob(String cid) {
        URI uri = URI.create(InstancePdsResource.stack().pdsUrl() + "/xrpc/com.atproto.sync.getBlob?did="
                + SignIns.enc(user.did()) + "&cid=" + SignIns.enc(cid));
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as("getBlob %s", cid).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] image(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 0x40);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertThat(ImageIO.write(image, format, out)).as("ImageIO writes %s", format).isTrue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String rkey(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }
}
