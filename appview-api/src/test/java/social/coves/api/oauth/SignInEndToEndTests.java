package social.coves.api.oauth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.InstancePdsResource;
import social.coves.api.support.PdsFeedIngestor;
import social.coves.api.support.SignInAppResource;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.PostgresResource;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static social.coves.api.oauth.SignIns.as;
import static social.coves.api.writes.WriteFixtures.PDS;
import static social.coves.api.writes.WriteFixtures.createCommunity;
import static social.coves.api.writes.WriteFixtures.createPost;
import static social.coves.api.writes.WriteFixtures.newUser;
import static social.coves.api.writes.WriteFixtures.uniqueName;

/**
 * Coves' apps sign in through this AppView: headless Chromium fills the real PDS's own sign-in and consent pages,
 * the AppView (an OAuth client served over HTTPS on a name the PDS resolves to loopback) finishes the flow, and with
 * nothing but the sealed token it hands back the app subscribes, votes, comments and deletes; each record is read
 * back from the user's repository on the PDS and the index serves the counts and the viewer's state.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(SignInAppResource.class)
class SignInEndToEndTests {

    @BeforeAll
    static void pipeline() {
        PdsFeedIngestor.ensureRunning();
    }

    @Test
    void signsInThroughThePdsPagesAndWritesWithOnlyTheSealedToken() {
        PdsAccounts.Account creator = newUser("own");
        String community = createCommunity(creator, uniqueName("oauth"), Map.of()).then().statusCode(200).extract().path("did");
        String post = createPost(creator, community, Map.of("title", "Sign in and vote", "content", "hi"))
                .then().statusCode(200).extract().path("uri");
        String postCid = PDS.getRecord(community, "social.coves.community.post", post.substring(post.lastIndexOf('/') + 1))
                .orElseThrow().path("cid").asText();

        PdsAccounts.Account user = newUser("oli");
        SignIns.Session back = SignIns.signInOnMobile(SignInAppResource.publicUrl(), user);
        assertThat(back.did()).isEqualTo(user.did());
        assertThat(back.handle()).isEqualTo(user.handle());
        assertThat(back.sessionId()).isNotBlank();
        String token = back.token();
        assertThat(token).doesNotContain(".");

        given().header("Authorization", "Bearer " + token).when().get("/api/me")
                .then().statusCode(200).body("did", equalTo(user.did())).body("handle", equalTo(user.handle()));

        // subscribe: the record is in the user's repo
        String subscription = as(token, "social.coves.community.subscribe", Map.of("community", community, "contentVisibility", 4))
                .then().statusCode(200).extract().path("uri");
        assertThat(PDS.getRecord(user.did(), "social.coves.community.subscription", rkey(subscription)).orElseThrow()
                .path("value").path("contentVisibility").asInt()).isEqualTo(4);
        as(token, "social.coves.community.subscribe", Map.of("community", community))
                .then().statusCode(200).body("uri", equalTo(subscription)).body("existing", equalTo(true));

        // vote up, the same again toggles it off, down is a new vote; only the down vote is in the repo
        Map<String, String> subject = Map.of("uri", post, "cid", postCid);
        String up = as(token, "social.coves.feed.vote.create", Map.of("subject", subject, "direction", "up"))
                .then().statusCode(200).extract().path("uri");
        as(token, "social.coves.feed.vote.create", Map.of("subject", subject, "direction", "up"))
                .then().statusCode(200).body("uri", equalTo("")).body("cid", equalTo(""));
        assertThat(PDS.getRecord(user.did(), "social.coves.feed.vote", rkey(up))).isEmpty();
        String up2 = as(token, "social.coves.feed.vote.create", Map.of("subject", subject, "direction", "up"))
                .then().statusCode(200).extract().path("uri");
        String down = as(token, "social.coves.feed.vote.create", Map.of("subject", subject, "direction", "down"))
                .then().statusCode(200).extract().path("uri");
        assertThat(PDS.getRecord(user.did(), "social.coves.feed.vote", rkey(up2))).isEmpty();
        assertThat(PDS.getRecord(user.did(), "social.coves.feed.vote", rkey(down)).orElseThrow()
                .path("value").path("direction").asText()).isEqualTo("down");

        // a comment, a reply to it, and the reply deleted
        Map<String, Object> onPost = Map.of("root", subject, "parent", subject);
        Response commented = as(token, "social.coves.community.comment.create", Map.of("reply", onPost, "content", "first!"));
        commented.then().statusCode(200);
        String comment = commented.path("uri");
        Map<String, String> commentRef = Map.of("uri", comment, "cid", commented.path("cid"));
        String reply = as(token, "social.coves.community.comment.create",
                Map.of("reply", Map.of("root", subject, "parent", commentRef), "content", "replying to myself"))
                .then().statusCode(200).extract().path("uri");
        as(token, "social.coves.community.comment.delete", Map.of("uri", reply)).then().statusCode(200);
        assertThat(PDS.getRecord(user.did(), "social.coves.community.comment", rkey(comment))).isPresent();
        assertThat(PDS.getRecord(user.did(), "social.coves.community.comment", rkey(reply))).isEmpty();

        // the index, fed only by Jetstream, counts each once and shows the viewer's own state
        await().atMost(60, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS).untilAsserted(() ->
                given().header("Authorization", "Bearer " + token).queryParam("uris", post)
                        .when().get("/xrpc/social.coves.community.post.get")
                        .then().statusCode(200)
                        .body("posts[0].stats.upvotes", equalTo(0))
                        .body("posts[0].stats.downvotes", equalTo(1))
                        .body("posts[0].stats.commentCount", equalTo(1))
                        .body("posts[0].viewer.vote", equalTo("down"))
                        .body("posts[0].viewer.voteUri", equalTo(down)));
        await().atMost(60, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS).untilAsserted(() ->
                given().header("Authorization", "Bearer " + token).queryParam("subscribed", true)
                        .when().get("/xrpc/social.coves.community.list")
                        .then().statusCode(200).body("communities.did", org.hamcrest.Matchers.contains(community))
                        .body("communities[0].subscriberCount", equalTo(1)).body("communities[0].viewer.subscribed", equalTo(true)));

        // community-owned writes take the sealed token as they take a service-auth token: a post by this user
        String own = as(token, "social.coves.community.post.create", Map.of("community", community, "title", "from the app"))
                .then().statusCode(200).extract().path("uri");
        assertThat(PDS.getRecord(community, "social.coves.community.post", rkey(own)).orElseThrow()
                .path("value").path("author").asText()).isEqualTo(user.did());
    }

    static String rkey(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }
}
