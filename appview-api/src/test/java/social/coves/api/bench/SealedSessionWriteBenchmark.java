package social.coves.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.InstancePdsResource;
import social.coves.api.support.PdsFeedIngestor;
import social.coves.api.support.SignInAppResource;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.OAuthBrowser;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.TestTls;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes of users signed in through the AppView (sealed session → the user's DPoP-bound OAuth session → their PDS)
 * next to the PDS's own {@code createRecord} of the same record with the user's password session, in the same run and
 * alternating rounds; and read-your-writes: from the write's answer until that viewer's {@code getComments} shows the
 * comment, next to until an anonymous reader sees it (Jetstream → Kafka → indexer). Off by default:
 * {@code ./bench.sh sealed-writes} or {@code ./mvnw -pl appview-api test -Dtest=SealedSessionWriteBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dcoves.bench.sealed-writes=true [-Dcoves.bench.sealed-writes-per-level=120]}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "coves.bench.sealed-writes", matches = "true")
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(SignInAppResource.class)
class SealedSessionWriteBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMENT = "social.coves.community.comment";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final PdsAccounts pds = InstancePdsResource.accounts();

    record User(PdsAccounts.Account account, String token) {
    }

    @Test
    void sealedSessionWritesNextToThePdsItself() throws Exception {
        int perLevel = Integer.getInteger("coves.bench.sealed-writes-per-level", 120);
        int users = 5;
        PdsFeedIngestor.ensureRunning();
        String run = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        PdsAccounts.Account creator = pds.create(InstancePdsResource.stack().handle("sc" + run), "sc" + run + "@example.test", "password-sc" + run);
        String community = post(bearer(creator, "social.coves.community.create"), "social.coves.community.create",
                Map.of("name", "sw" + run, "displayName", "bench", "description", "bench", "visibility", "public")).path("did").asText();
        JsonNode created = post(bearer(creator, "social.coves.community.post.create"), "social.coves.community.post.create",
                Map.of("community", community, "title", "sealed writes", "content", "bench"));
        Map<String, String> subject = Map.of("uri", created.path("uri").asText(), "cid", created.path("cid").asText());

        List<User> signedIn = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String name = "sw" + run + "u" + i;
            PdsAccounts.Account account = pds.create(InstancePdsResource.stack().handle(name), name + "@example.test", "password-" + name);
            signedIn.add(new User(account, signIn(account, "password-" + name)));
        }
        System.out.printf("sealed-writes: %d users signed in through the PDS's pages; post %s%n", users, subject.get("uri"));

        // warm-up, unmeasured: each user once both ways
        for (User u : signedIn) {
            apiComment(u, subject, "warm-up");
            pdsComment(u, subject, "warm-up");
        }
        List<String> rows = new ArrayList<>();
        rows.add("| users | writes each way | PDS createRecord p50 / p99 (ms) | AppView comment.create p50 / p99 (ms) | added at p50 | visible to the writer p50 / p99 (ms) | visible to everyone (index) p50 / p99 (ms) |");
        rows.add("|---|---|---|---|---|---|---|");
        for (int clients : new int[] {1, users}) {
            List<Long> pdsNanos = Collections.synchronizedList(new ArrayList<>());
            List<Long> apiNanos = Collections.synchronizedList(new ArrayList<>());
            List<Long> ownNanos = Collections.synchronizedList(new ArrayList<>());
            List<Long> indexNanos = Collections.synchronizedList(new ArrayList<>());
            for (int round = 0; round < 3; round++) {
                int n = perLevel / 3;
                concurrently(clients, n, i -> {
                    long start = System.nanoTime();
                    pdsComment(signedIn.get(i), subject, "pds " + start);
                    pdsNanos.add(System.nanoTime() - start);
                });
                concurrently(clients, n, i -> {
                    User u = signedIn.get(i);
                    long start = System.nanoTime();
                    String uri = apiComment(u, subject, "api " + start);
                    long answered = System.nanoTime();
                    apiNanos.add(answered - start);
                    ownNanos.add(untilVisible(u.token(), subject.get("uri"), uri) - answered);
                    if (ThreadLocalRandom.current().nextInt(4) == 0) {   // a sample: the index takes ~100s of ms
                        indexNanos.add(untilVisible(null, subject.get("uri"), uri) - answered);
                    }
                });
            }
            long[] p = Percentiles.sorted(pdsNanos), a = Percentiles.sorted(apiNanos), o = Percentiles.sorted(ownNanos),
                    x = Percentiles.sorted(indexNanos);
            double pdsP50 = Percentiles.millis(p, 0.50), apiP50 = Percentiles.millis(a, 0.50);
            rows.add(String.format("| %d | %d | %.1f / %.1f | %.1f / %.1f | +%.1f ms (%+.0f %%) | %.1f / %.1f | %.0f / %.0f |", clients,
                    pdsNanos.size(), pdsP50, Percentiles.millis(p, 0.99), apiP50, Percentiles.millis(a, 0.99), apiP50 - pdsP50,
                    100 * (apiP50 - pdsP50) / pdsP50, Percentiles.millis(o, 0.50), Percentiles.millis(o, 0.99),
                    Percentiles.millis(x, 0.50), Percentiles.millis(x, 0.99)));
        }
        rows.forEach(System.out::println);
        Files.createDirectories(Path.of("target", "bench"));
        Files.writeString(Path.of("target", "bench", "sealed-writes.md"), String.join("\n", rows) + "\n");
    }

    private String signIn(PdsAccounts.Account account, String password) {
        String start = SignInAppResource.publicUrl() + "/oauth/mobile/login?handle=" + enc(account.handle())
                + "&redirect_uri=" + enc("social.coves:/callback");
        OAuthBrowser.Result result = OAuthBrowser.signIn(start, account.handle(), password, List.of("social.coves:/callback"),
                List.of(TestTls.shared().hostname()));
        return result.stopQuery().get("token");
    }

    private String apiComment(User u, Map<String, String> subject, String text) throws Exception {
        return post("Bearer " + u.token(), "social.coves.community.comment.create",
                Map.of("reply", Map.of("root", subject, "parent", subject), "content", text)).path("uri").asText();
    }

    private void pdsComment(User u, Map<String, String> subject, String text) {
        pds.createRecord(u.account(), COMMENT, null, Map.of("$type", COMMENT, "reply", Map.of("root", subject, "parent", subject),
                "content", text, "createdAt", Instant.now().toString()));
    }

    /** When (System.nanoTime) {@code getComments} (newest first) as {@code token}'s viewer, or anonymous, first shows {@code uri}. */
    private long untilVisible(String token, String post, String uri) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpRequest.Builder get = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/xrpc/social.coves.community.comment.getComments?sort=new&limit=100&post=" + enc(post)));
            if (token != null) {
                get.header("Authorization", "Bearer " + token);
            }
            String body = http.send(get.build(), HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains(uri)) {
                return System.nanoTime();
            }
            Thread.sleep(5);   // a poll interval, not a wait for a condition: the measured event is the first hit
        }
        throw new IllegalStateException(uri + " not visible within 30 s" + (token == null ? " to everyone" : " to its writer"));
    }

    private JsonNode post(String authorization, String nsid, Object body) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/xrpc/" + nsid))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(nsid + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    private String bearer(PdsAccounts.Account account, String lxm) {
        return "Bearer " + pds.serviceAuth(account, InstancePdsResource.APPVIEW_DID, lxm);
    }

    interface Write {
        void run(int client) throws Exception;
    }

    private static void concurrently(int clients, int total, Write write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                int share = total / clients + (c < total % clients ? 1 : 0);
                futures.add(pool.submit(() -> {
                    for (int k = 0; k < share; k++) {
                        write.run(client);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
