package social.coves.api.admission;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.localstack.testing.PostgresResource;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Reads served first come, first served, as a client and an operator see it: with one read allowed to run and one to
 * wait, a read held up in PostgreSQL (its table locked) keeps the next one waiting and the one after is refused with
 * a 503 XRPC error; writes and /q/* are not queued; both held reads answer once the lock goes; a client that leaves
 * while waiting gives its turn back.
 */
@QuarkusTest
@TestProfile(ReadAdmissionTests.OneAtATime.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
class ReadAdmissionTests {

    public static class OneAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coves.api.admission.max-running", "1", "coves.api.admission.max-waiting", "1");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static int unknown;

    @Inject
    Pool pool;

    private SqlConnection lockHolder;
    private Transaction lock;

    /** An unknown community each time, so that no kept answer serves it: every call reads the communities table. */
    private static String communityGetPath() {
        return String.format("/xrpc/social.coves.community.get?community=did:plc:admission%016d", unknown++);
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void lockCommunities() {
        lockHolder = pool.getConnection().await().indefinitely();
        lock = lockHolder.begin().await().indefinitely();
        lockHolder.query("LOCK TABLE appview.communities IN ACCESS EXCLUSIVE MODE").execute().await().indefinitely();
    }

    private void unlock() {
        if (lock != null) {
            lock.rollback().await().indefinitely();
            lockHolder.close().await().indefinitely();
            lock = null;
        }
    }

    @AfterEach
    void release() {
        unlock();
    }

    private static double metric(String name) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(name + " on /q/metrics").isTrue();
        return Double.parseDouble(m.group(2));
    }

    @Test
    void aReadBeyondTheWaitingOnesIsRefusedAndTheHeldOnesAnswerInTurn() {
        double refusedBefore = metric("coves_api_reads_refused_total");
        lockCommunities();

        CompletableFuture<HttpResponse<String>> running = sendAsync(communityGetPath());
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("coves_api_reads_running") == 1);
        CompletableFuture<HttpResponse<String>> waiting = sendAsync(communityGetPath());
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("coves_api_reads_waiting") == 1);

        given().when().get(communityGetPath())
                .then().statusCode(503).header("Retry-After", "1").contentType("application/json")
                .body("error", equalTo("ServiceUnavailable"))
                .body("message", equalTo("too many reads are waiting on this replica; retry in a second"));
        // a procedure is not queued behind the reads: it answers while they wait (here 501: this instance has no PDS)
        given().contentType("application/json").body("{}").when().post("/xrpc/social.coves.community.post.create")
                .then().statusCode(501);
        assertThat(running).isNotDone();
        assertThat(waiting).isNotDone();

        unlock();
        for (CompletableFuture<HttpResponse<String>> held : java.util.List.of(running, waiting)) {
            HttpResponse<String> answer = held.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.body()).contains("\"error\":\"NotFound\"");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("coves_api_reads_running") == 0);
        assertThat(metric("coves_api_reads_waiting")).isZero();
        assertThat(metric("coves_api_reads_refused_total")).isEqualTo(refusedBefore + 1);
        assertThat(metric("coves_api_reads_wait_seconds_count")).isPositive();
    }

    @Test
    void aClientThatLeavesWhileWaitingGivesItsTurnBack() throws Exception {
        lockCommunities();
        CompletableFuture<HttpResponse<String>> running = sendAsync(communityGetPath());
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("coves_api_reads_running") == 1);
        try (Socket leaving = new Socket("localhost", RestAssured.port)) {
            OutputStream out = leaving.getOutputStream();
            out.write(("GET " + communityGetPath() + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("coves_api_reads_waiting") == 1);
        }

        unlock();
        assertThat(running.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join().statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("coves_api_reads_running") == 0 && metric("coves_api_reads_waiting") == 0);
        // the place is free again: a read runs at once
        given().when().get(communityGetPath()).then().statusCode(404).body("error", equalTo("NotFound"));
    }
}
