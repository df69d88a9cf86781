package social.coves.api.writes;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.InstancePdsResource;
import social.coves.api.support.PdsFeedIngestor;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.PostgresResource;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static social.coves.api.writes.WriteFixtures.PDS;
import static social.coves.api.writes.WriteFixtures.call;
import static social.coves.api.writes.WriteFixtures.createCommunity;
import static social.coves.api.writes.WriteFixtures.createPost;
import static social.coves.api.writes.WriteFixtures.newUser;
import static social.coves.api.writes.WriteFixtures.uniqueName;

/**
 * The whole write path with real parts: the API writes into the community's repository on the real PDS; the index
 * learns it only as every AppView does, from the PDS's commits through the Jetstream-compatible feed, the packaged
 * ingestor, Kafka and the packaged indexer; users' comments and votes go to their own repositories on the PDS.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(InstancePdsResource.class)
class WritePipelineTests {

    @BeforeAll
    static void pipeline() {
        PdsFeedIngestor.ensureRunning();
    }

    @Test
    void whatTheApiWritesComesBackThroughJetstreamWithCountsFromUsersRepos() {
        PdsAccounts.Account creator = newUser("pam");
        String name = uniqueName("pipe");
        String handle = "c-" + name + "." + InstancePdsResource.stack().instanceDomain();
        String community = createCommunity(creator, name, Map.of()).then().statusCode(200).extract().path("did");
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() ->
                given().queryParam("community", community).when().get("/xrpc/social.coves.community.get")
                        .then().statusCode(200).body("handle", equalTo(handle)).body("name", equalTo(name))
                        .body("displayName", equalTo("The " + name)).body("createdBy", equalTo(creator.did()))
                        .body("hostedBy", equalTo(InstancePdsResource.APPVIEW_DID)));

        PdsAccounts.Account author = newUser("quinn");
        String uri = createPost(author, community, Map.of("title", "Through the pipeline", "content", "hello"))
                .then().statusCode(200).extract().path("uri");
        String cid = PDS.getRecord(community, "social.coves.community.post", uri.substring(uri.lastIndexOf('/') + 1))
                .orElseThrow().path("cid").asText();
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() ->
                given().queryParam("community", handle).queryParam("sort", "new")
                        .when().get("/xrpc/social.coves.feed.getCommunity")
                        .then().statusCode(200)
                        .body("feed[0].post.uri", equalTo(uri))
                        .body("feed[0].post.author.did", equalTo(author.did()))
                        .body("feed[0].post.author.handle", equalTo(author.handle()))
                        .body("feed[0].post.record.title", equalTo("Through the pipeline")));

        // a comment and a vote in users' own repositories are counted on the post
        PdsAccounts.Account reader = newUser("rita");
        Map<String, String> ref = Map.of("uri", uri, "cid", cid);
        PDS.createRecord(reader, "social.coves.community.comment", null, Map.of("$type", "social.coves.community.comment",
                "reply", Map.of("root", ref, "parent", ref), "content", "nice", "createdAt", Instant.now().toString()));
        PDS.createRecord(reader, "social.coves.feed.vote", null, Map.of("$type", "social.coves.feed.vote",
                "subject", ref, "direction", "up", "createdAt", Instant.now().toString()));
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() ->
                given().queryParam("uris", uri).when().get("/xrpc/social.coves.community.post.get")
                        .then().statusCode(200)
                        .body("posts[0].stats.commentCount", equalTo(1))
                        .body("posts[0].stats.upvotes", equalTo(1)));

        // deleting: not by the reader; by the author, and the post leaves the feed
        call(reader, "social.coves.community.post.delete", Map.of("uri", uri)).then().statusCode(403);
        call(author, "social.coves.community.post.delete", Map.of("uri", uri)).then().statusCode(200);
        await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() ->
                given().queryParam("community", community).queryParam("sort", "new")
                        .when().get("/xrpc/social.coves.feed.getCommunity")
                        .then().statusCode(200).body("feed.post.uri", not(hasItem(uri))));
    }
}
