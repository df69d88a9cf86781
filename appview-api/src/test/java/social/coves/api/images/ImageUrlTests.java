package social.coves.api.images;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.Events;
import social.coves.api.support.IdentityServiceResource;
import social.coves.api.support.RunningIdentityService;
import social.coves.api.support.RunningIndexer;
import social.coves.lexicon.crypto.KeyAlgorithm;
import social.coves.lexicon.crypto.SigningKey;
import social.coves.localstack.testing.PostgresResource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Blob references become image URLs from the configured template, and the default /img route redirects to the PDS. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class ImageUrlTests {

    static final String COMMUNITY = "did:plc:imagecommunityaaaaaaaaaa";
    static final String AUTHOR = "did:plc:imageauthoraaaaaaaaaaaaa";
    static final String AVATAR = Events.cid("community avatar");
    static final String BANNER = Events.cid("community banner");
    static final String AUTHOR_AVATAR = Events.cid("author avatar");
    static final String THUMB = Events.cid("link thumb");
    static String postUri;

    @BeforeEach
    void seed() {
        if (postUri != null) {
            return;
        }
        ObjectNode community = Events.community("pictures", Instant.now().minus(Duration.ofDays(2)));
        community.set("avatar", blob(AVATAR));
        community.set("banner", blob(BANNER));
        ObjectNode profile = JsonNodeFactory.instance.objectNode().put("$type", "social.coves.actor.profile")
                .put("displayName", "Pat").put("createdAt", Instant.now().toString());
        profile.set("avatar", blob(AUTHOR_AVATAR));
        ObjectNode post = Events.post(COMMUNITY, AUTHOR, "a link", Instant.now().minus(Duration.ofMinutes(5)));
        ObjectNode external = post.putObject("embed").put("$type", "social.coves.embed.external").putObject("external")
                .put("uri", "https://news.example/story").put("title", "A story");
        external.set("thumb", blob(THUMB));
        post.put("content", "see the story");
        ObjectNode facet = post.putArray("facets").addObject();
        facet.putObject("index").put("byteStart", 4).put("byteEnd", 13);
        facet.putArray("features").addObject().put("$type", "social.coves.richtext.facet#link").put("uri", "https://news.example/story");
        String rkey = Events.tid();
        RunningIndexer.get().index(List.of(
                Events.identity(COMMUNITY, "c-pictures.coves.test"),
                Events.create(COMMUNITY, "social.coves.community.profile", "self", community),
                Events.create(AUTHOR, "social.coves.actor.profile", "self", profile),
                Events.create(COMMUNITY, "social.coves.community.post", rkey, post)));
        postUri = "at://" + COMMUNITY + "/social.coves.community.post/" + rkey;
        RunningIdentityService.get().plc().publish(COMMUNITY, "c-pictures.coves.test", SigningKey.generate(KeyAlgorithm.ES256K));
    }

    private static ObjectNode blob(String cid) {
        ObjectNode blob = JsonNodeFactory.instance.objectNode().put("$type", "blob").put("mimeType", "image/png").put("size", 2048);
        blob.putObject("ref").put("$link", cid);
        return blob;
    }

    /** The image route's path. */
    private static String img(String preset, String did, String cid) {
        return "/img/" + preset + "/plain/" + did.replace(":", "%3A") + "/" + cid;
    }

    /** What views carry: the route's absolute URL under coves.appview.public-url (the lexicons' format: uri). */
    private static String url(String preset, String did, String cid) {
        return "http://localhost:8080" + img(preset, did, cid);
    }

    @Test
    void communityViewsCarryAvatarAndBannerUrls() {
        given().queryParam("community", COMMUNITY).when().get("/xrpc/social.coves.community.get").then().statusCode(200)
                .body("avatar", equalTo(url("avatar", COMMUNITY, AVATAR)))
                .body("banner", equalTo(url("banner", COMMUNITY, BANNER)));
        given().queryParam("sort", "new").queryParam("limit", 100).when().get("/xrpc/social.coves.community.list").then()
                .statusCode(200).body("communities.find { it.did == '" + COMMUNITY + "' }.avatar",
                        equalTo(url("avatar_small", COMMUNITY, AVATAR)));
    }

    @Test
    void postsCarryTheCommunityAvatarAndTheLinkThumbnailAsUrls() {
        var post = given().queryParam("uris", postUri).when().get("/xrpc/social.coves.community.post.get").then().statusCode(200)
                .extract().jsonPath();
        org.assertj.core.api.Assertions.assertThat(post.getString("posts[0].community.avatar")).isEqualTo(url("avatar_small", COMMUNITY, AVATAR));
        org.assertj.core.api.Assertions.assertThat(post.getString("posts[0].embed.external.thumb")).isEqualTo(url("embed_thumbnail", COMMUNITY, THUMB));
        org.assertj.core.api.Assertions.assertThat(post.getString("posts[0].record.embed.external.thumb")).isEqualTo(url("embed_thumbnail", COMMUNITY, THUMB));
        org.assertj.core.api.Assertions.assertThat(post.getString("posts[0].embed.external.uri")).isEqualTo("https://news.example/story");
    }

    @Test
    void storedFacetsReachTheClientAsTheyWereWritten() {
        String body = given().queryParam("uris", postUri).when().get("/xrpc/social.coves.community.post.get").then().statusCode(200)
                .extract().asString();
        var json = io.restassured.path.json.JsonPath.from(body);
        var facets = json.getList("posts[0].record.facets", java.util.Map.class);
        org.assertj.core.api.Assertions.assertThat(facets).containsExactly(java.util.Map.of(
                "index", java.util.Map.of("byteStart", 4, "byteEnd", 13),
                "features", List.of(java.util.Map.of("$type", "social.coves.richtext.facet#link", "uri", "https://news.example/story"))));
        org.assertj.core.api.Assertions.assertThat(json.getString("posts[0].record.content")).isEqualTo("see the story");
    }

    @Test
    void profilesCarryAvatarUrlsAndNoBannerWhenThereIsNone() {
        given().queryParam("actor", AUTHOR).when().get("/xrpc/social.coves.actor.getProfile").then().statusCode(200)
                .body("avatar", equalTo(url("avatar", AUTHOR, AUTHOR_AVATAR))).body("banner", nullValue());
    }

    @Test
    void theImageRouteRedirectsToTheBlobOnTheOwnersPds() {
        given().urlEncodingEnabled(false).redirects().follow(false).when().get(img("avatar", COMMUNITY, AVATAR)).then().statusCode(302)
                .header("Location", equalTo("https://pds.coves.test/xrpc/com.atproto.sync.getBlob?did=did%3Aplc%3Aimagecommunityaaaaaaaaaa&cid=" + AVATAR));
        given().urlEncodingEnabled(false).when().get(img("huge", COMMUNITY, AVATAR)).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().when().get("/img/avatar/plain/not-a-did/" + AVATAR).then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().urlEncodingEnabled(false).redirects().follow(false).when().get(img("avatar", "did:plc:nobodyhereaaaaaaaaaaaaaa", AVATAR)).then()
                .statusCode(404).body("error", equalTo("BlobOwnerNotFound"));
    }
}
