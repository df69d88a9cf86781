package social.coves.api.readyourwrites;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.oauth.OAuthStore;
import social.coves.api.oauth.SealedTokens;
import social.coves.api.oauth.UserSession;
import social.coves.api.secrets.SecretBox;
import social.coves.api.support.Events;
import social.coves.api.support.IdentityServiceResource;
import social.coves.api.support.RunningIndexer;
import social.coves.api.writes.user.RecentWrites;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.testing.PostgresResource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * What a signed-in viewer wrote through the AppView shows in their own reads before Jetstream brings it back, and
 * nothing is counted twice when it arrives: the writes are recorded by the production {@link RecentWrites}, the
 * index is fed only by the real indexer, and the reads are the API's.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class ReadYourWritesTests {

    static final String POST = "social.coves.community.post";
    static final String COMMENT = "social.coves.community.comment";
    static final String VOTE = "social.coves.feed.vote";
    static final String SUBSCRIPTION = "social.coves.community.subscription";
    static final Instant NOW = Instant.now();

    @Inject
    RecentWrites recent;
    @Inject
    SealedTokens sealed;
    @Inject
    OAuthStore sessions;
    @Inject
    SecretBox box;

    String community, author, viewer, postUri, postCid, token;

    @BeforeEach
    void seed() {
        String tag = base32(6);
        community = "did:plc:" + base32(24);
        author = "did:plc:" + base32(24);
        viewer = "did:plc:" + base32(24);
        List<EventEnvelope> events = new ArrayList<>();
        events.add(Events.identity(community, "c-ryw" + tag + ".coves.test"));
        events.add(Events.identity(author, "author" + tag + ".ryw.test"));
        events.add(Events.identity(viewer, "viewer" + tag + ".ryw.test"));
        events.add(Events.create(community, "social.coves.community.profile", "self", Events.community("ryw" + tag, NOW.minus(Duration.ofDays(1)))));
        String rkey = Events.tid();
        EventEnvelope post = Events.create(community, POST, rkey, Events.post(community, author, "read your writes", NOW.minus(Duration.ofHours(1))));
        events.add(post);
        postUri = "at://" + community + "/" + POST + "/" + rkey;
        postCid = post.commit().cid();
        RunningIndexer.get().index(events);
        token = signedIn(viewer);
    }

    static String base32(int length) {
        StringBuilder s = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            s.append("abcdefghijklmnopqrstuvwxyz234567".charAt(random.nextInt(32)));
        }
        return s.toString();
    }

    /** A session row as sign-in stores it (the tokens are never used here) and the sealed token naming it. */
    String signedIn(String did) {
        String sid = UUID.randomUUID().toString();
        Instant expires = Instant.now().plus(Duration.ofHours(1));
        sessions.createSession(new UserSession(sid, did, "viewer.ryw.test", "http://localhost:1", "http://localhost:1",
                "http://localhost:1/oauth/token", null, "atproto", box.seal("unused", UserSession.sealContext(sid, "access")),
                null, expires, box.seal("{}", UserSession.sealContext(sid, "dpop_key")), null, null, expires, null));
        return sealed.seal(did, sid, expires);
    }

    String voteOnPost() {
        return given().header("Authorization", "Bearer " + token).queryParam("uris", postUri)
                .when().get("/xrpc/social.coves.community.post.get").then().statusCode(200)
                .extract().path("posts[0].viewer.vote");
    }

    @Test
    void theViewersVoteShowsAtOnceAndIsCountedOnceWhenTheIndexTakesIt() {
        String rkey = Events.tid();
        String uri = "at://" + viewer + "/" + VOTE + "/" + rkey;
        var record = Events.vote(postUri, postCid, "up");
        recent.wrote(viewer, VOTE, postUri, uri, Events.cid(uri), record);
        given().header("Authorization", "Bearer " + token).queryParam("uris", postUri)
                .when().get("/xrpc/social.coves.community.post.get").then().statusCode(200)
                .body("posts[0].viewer.vote", equalTo("up")).body("posts[0].viewer.voteUri", equalTo(uri))
                .body("posts[0].stats.upvotes", equalTo(0));      // counts are the index's alone
        given().queryParam("uris", postUri).when().get("/xrpc/social.coves.community.post.get").then().statusCode(200)
                .body("posts[0].viewer", nullValue());             // and only the writer sees it

        RunningIndexer.get().index(List.of(Events.create(viewer, VOTE, rkey, record)));   // Jetstream brings it back
        given().header("Authorization", "Bearer " + token).queryParam("uris", postUri)
                .when().get("/xrpc/social.coves.community.post.get").then().statusCode(200)
                .body("posts[0].viewer.vote", equalTo("up")).body("posts[0].stats.upvotes", equalTo(1));

        // toggled off through the AppView: gone for the viewer at once, while the index still counts it
        recent.deleted(viewer, VOTE, postUri, uri);
        given().header("Authorization", "Bearer " + token).queryParam("uris", postUri)
                .when().get("/xrpc/social.coves.community.post.get").then().statusCode(200)
                .body("posts[0].viewer", nullValue()).body("posts[0].stats.upvotes", equalTo(1));
        RunningIndexer.get().index(List.of(Events.delete(viewer, VOTE, rkey)));
        given().header("Authorization", "Bearer " + token).queryParam("uris", postUri)
                .when().get("/xrpc/social.coves.community.post.get").then().statusCode(200)
                .body("posts[0].viewer", nullValue()).body("posts[0].stats.upvotes", equalTo(0));
    }

    @Test
    void aFlippedVoteShowsTheNewDirectionBeforeTheIndexHasIt() {
        String first = Events.tid();
        RunningIndexer.get().index(List.of(Events.create(viewer, VOTE, first, Events.vote(postUri, postCid, "up"))));
        String second = Events.tid();
        String uri = "at://" + viewer + "/" + VOTE + "/" + second;
        recent.wrote(viewer, VOTE, postUri, uri, Events.cid(uri), Events.vote(postUri, postCid, "down"));
        given().header("Authorization", "Bearer " + token).queryParam("uris", postUri)
                .when().get("/xrpc/social.coves.community.post.get").then().statusCode(200)
                .body("posts[0].viewer.vote", equalTo("down")).body("posts[0].viewer.voteUri", equalTo(uri));
    }

    @Test
    void aSubscriptionIsInTheViewersListAtOnceAndAnUnsubscribeTakesItOut() {
        String rkey = Events.tid();
        String uri = "at://" + viewer + "/" + SUBSCRIPTION + "/" + rkey;
        var record = Events.subscription(community, 3);
        recent.wrote(viewer, SUBSCRIPTION, community, uri, Events.cid(uri), record);
        given().header("Authorization", "Bearer " + token).queryParam("subscribed", true)
                .when().get("/xrpc/social.coves.community.list").then().statusCode(200)
                .body("communities.did", contains(community)).body("communities[0].viewer.subscribed", equalTo(true))
                .body("communities[0].subscriberCount", equalTo(0));

        RunningIndexer.get().index(List.of(Events.create(viewer, SUBSCRIPTION, rkey, record)));
        given().header("Authorization", "Bearer " + token).queryParam("subscribed", true)
                .when().get("/xrpc/social.coves.community.list").then().statusCode(200)
                .body("communities.did", contains(community)).body("communities[0].subscriberCount", equalTo(1));

        recent.deleted(viewer, SUBSCRIPTION, community, uri);
        given().header("Authorization", "Bearer " + token).queryParam("subscribed", true)
                .when().get("/xrpc/social.coves.community.list").then().statusCode(200)
                .body("communities.did", not(hasItem(community)));
    }

    @Test
    void theViewersNewCommentIsInTheThreadAtOnceAndOnceWhenIndexed() {
        String rkey = Events.tid();
        String uri = "at://" + viewer + "/" + COMMENT + "/" + rkey;
        var record = Events.comment(postUri, postCid, postUri, postCid, "my fresh comment", Instant.now());
        recent.wrote(viewer, COMMENT, uri, uri, Events.cid(uri), record);
        given().header("Authorization", "Bearer " + token).queryParam("post", postUri)
                .when().get("/xrpc/social.coves.community.comment.getComments").then().statusCode(200)
                .body("comments.comment.uri", contains(uri)).body("comments[0].comment.record.content", equalTo("my fresh comment"))
                .body("post.stats.commentCount", equalTo(0));
        given().queryParam("post", postUri).when().get("/xrpc/social.coves.community.comment.getComments")
                .then().statusCode(200).body("comments.comment.uri", not(hasItem(uri)));

        RunningIndexer.get().index(List.of(Events.create(viewer, COMMENT, rkey, record)));
        given().header("Authorization", "Bearer " + token).queryParam("post", postUri)
                .when().get("/xrpc/social.coves.community.comment.getComments").then().statusCode(200)
                .body("comments.comment.uri", contains(uri)).body("post.stats.commentCount", equalTo(1));

        recent.deleted(viewer, COMMENT, uri, uri);
        given().header("Authorization", "Bearer " + token).queryParam("post", postUri)
                .when().get("/xrpc/social.coves.community.comment.getComments").then().statusCode(200)
                .body("comments.comment.uri", not(hasItem(uri)));
    }
}
