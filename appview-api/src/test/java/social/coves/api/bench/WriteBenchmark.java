package social.coves.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.InstancePdsResource;
import social.coves.api.support.PdsFeedIngestor;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.PostgresResource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code community.post.create} through this AppView next to the PDS's own {@code createRecord}, in the same run (off
 * by default). At each level of concurrent authors (1, 10, 50) the same number of posts is written both ways, in
 * alternating rounds: straight to the PDS (a client writing a post record of the same shape into one account's repo
 * with its access token) and through the API (service-auth token from the author's PDS → verification → community
 * session → {@code createRecord} into the community's one repo). The difference at p50 is what the AppView adds.
 * The baseline account is made a community too (a copy of the API community's profile), so both kinds of posts cost
 * the pipeline the same. Every post is then watched for in its community's {@code feed.getCommunity} (sort=new),
 * which learns of it only through the real path: PDS firehose → Jetstream-compatible feed → packaged ingestor →
 * Kafka → indexer; the latency from the write's answer to the feed showing it is reported per level and way. Tokens
 * are fetched outside the timed calls (a client caches its
 * service-auth token for its 60 s). Writes {@code target/bench/writes.json} and {@code writes.md}.
 * Run: {@code ./bench.sh writes} or {@code ./mvnw -pl appview-api verify -Dtest=WriteBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dcoves.bench.writes=true [-Dcoves.bench.writes-per-level=300]}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "coves.bench.writes", matches = "true")
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(value = InstancePdsResource.class, initArgs = @ResourceArg(name = "direct", value = "true"))
class WriteBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String POST = "social.coves.community.post.create";
    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final PdsAccounts pds = InstancePdsResource.accounts();

    /** Latencies of one level: PDS createRecord, API post.create, and from each one's answer to the post in the feed. */
    record Level(int authors, List<Long> pds, List<Long> api, List<Long> pdsVisible, List<Long> apiVisible, int notVisible,
                 double apiPdsCallMeanMs) {
    }

    @Test
    void postCreateNextToThePdsItself() throws Exception {
        int[] levels = Arrays.stream(System.getProperty("coves.bench.authors", "1,10,50").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int perLevel = Integer.getInteger("coves.bench.writes-per-level", 300);
        int rounds = Integer.getInteger("coves.bench.rounds", 3);
        int maxAuthors = Arrays.stream(levels).max().orElse(1);

        PdsFeedIngestor.ensureRunning();
        String run = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        PdsAccounts.Account creator = newAccount("bc" + run);
        String community = createCommunity(creator, "bench" + run);
        PdsAccounts.Account baseline = newAccount("bb" + run);
        // the baseline account is made a community of its own (the API community's profile, renamed), so that its
        // posts cost the pipeline what the API's do and its feed can be watched the same way
        ObjectNode profile = (ObjectNode) pds.getRecord(community, "social.coves.community.profile", "self").orElseThrow().path("value");
        pds.putRecord(baseline, "social.coves.community.profile", "self", profile.put("name", "bb" + run));
        List<Author> authors = new ArrayList<>();
        for (int i = 0; i < maxAuthors; i++) {
            authors.add(new Author(newAccount("ba" + run + "x" + i)));
        }
        System.out.printf("writes: community %s, %d authors; waiting for the community to be indexed%n", community, maxAuthors);
        FeedWatcher apiFeed = new FeedWatcher(community);
        FeedWatcher pdsFeed = new FeedWatcher(baseline.did());
        apiFeed.awaitCommunityIndexed();
        pdsFeed.awaitCommunityIndexed();

        // warm-up, unmeasured: every author once (identity resolved and cached), JIT of both paths
        runConcurrently(maxAuthors, maxAuthors, i -> apiPost(authors.get(i), community, "warm-up " + i));
        runConcurrently(maxAuthors, maxAuthors, i -> pdsPost(baseline, authors.get(i), "warm-up " + i));
        List<FeedWatcher> watchers = List.of(apiFeed, pdsFeed);

        List<Level> results = new ArrayList<>();
        try (apiFeed; pdsFeed) {
            for (int clients : levels) {
                List<Long> pdsNanos = new ArrayList<>();
                List<Long> apiNanos = new ArrayList<>();
                Set<String> pdsUris = ConcurrentHashMap.newKeySet();
                Set<String> apiUris = ConcurrentHashMap.newKeySet();
                PdsCalls before = pdsCalls();
                for (int round = 0; round < rounds; round++) {
                    int n = perLevel / rounds;
                    AtomicInteger seq = new AtomicInteger();
                    pdsNanos.addAll(runConcurrently(clients, n, i -> {
                        String uri = pdsPost(baseline, authors.get(i), "pds " + seq.incrementAndGet());
                        pdsFeed.watch(uri);
                        pdsUris.add(uri);
                    }));
                    apiNanos.addAll(runConcurrently(clients, n, i -> {
                        String uri = apiPost(authors.get(i), community, "api " + seq.incrementAndGet());
                        apiFeed.watch(uri);
                        apiUris.add(uri);
                    }));
                }
                double apiPdsCallMeanMs = pdsCalls().meanMsSince(before);
                Map<String, Long> pdsVisible = pdsFeed.awaitAll(pdsUris);
                Map<String, Long> apiVisible = apiFeed.awaitAll(apiUris);
                results.add(new Level(clients, pdsNanos, apiNanos, new ArrayList<>(pdsVisible.values()), new ArrayList<>(apiVisible.values()),
                        pdsUris.size() - pdsVisible.size() + apiUris.size() - apiVisible.size(), apiPdsCallMeanMs));
                System.out.printf("writes: %d authors done%n", clients);
            }
        }
        report(results);
        for (Level level : results) {
            assertThat(level.api()).as("posts through the API at %d authors", level.authors()).isNotEmpty();
        }
    }

    // -- the two ways of writing a post --------------------------------------------------------------------------

    /** A client of the PDS itself: the same post record into one repo, with that account's access token. */
    private String pdsPost(PdsAccounts.Account repo, Author author, String title) {
        return pds.createRecord(repo, "social.coves.community.post", null, Map.of("$type", "social.coves.community.post",
                "community", repo.did(), "author", author.account().did(), "title", title,
                "content", "Written straight to the PDS for the benchmark.", "langs", List.of("en"),
                "createdAt", Instant.now().toString())).uri();
    }

    /** A Coves client: post.create on the AppView with its cached service-auth token. */
    private String apiPost(Author author, String community, String title) {
        String token = author.token();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/xrpc/" + POST))
                            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(Map.of("community", community,
                                    "title", title, "content", "Written through the AppView for the benchmark.", "langs", List.of("en")))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("post.create answered " + response.statusCode() + ": " + response.body());
            }
            return MAPPER.readTree(response.body()).path("uri").asText();
        } catch (Exception e) {
            throw new IllegalStateException("post.create after " + (System.nanoTime() - start) / 1_000_000 + " ms", e);
        }
    }

    /** An author and its service-auth token for post.create, renewed (outside the timed calls) before its 60 s run out. */
    private final class Author {
        private final PdsAccounts.Account account;
        private String token;
        private long fetchedAt;

        Author(PdsAccounts.Account account) {
            this.account = account;
        }

        PdsAccounts.Account account() {
            return account;
        }

        synchronized String token() {
            if (token == null || System.nanoTime() - fetchedAt > Duration.ofSeconds(40).toNanos()) {
                token = pds.serviceAuth(account, InstancePdsResource.APPVIEW_DID, POST);
                fetchedAt = System.nanoTime();
            }
            return token;
        }
    }

    interface Write {
        void run(int client) throws Exception;
    }

    /** {@code total} writes spread over {@code clients} threads, client i always the same author; each write's nanos. */
    private static List<Long> runConcurrently(int clients, int total, Write write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                int share = total / clients + (c < total % clients ? 1 : 0);
                futures.add(pool.submit(() -> {
                    List<Long> nanos = new ArrayList<>();
                    for (int k = 0; k < share; k++) {
                        long start = System.nanoTime();
                        write.run(client);
                        nanos.add(System.nanoTime() - start);
                    }
                    return nanos;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    // -- watching the feed -----------------------------------------------------------------------------------------

    /**
     * Polls the community's newest page (50 posts) every {@link #POLL_MILLIS} ms from start to end, through both kinds
     * of writes alike (so that it loads them equally), and notes when each watched post first appears; its latency
     * runs from the moment post.create answered to the poll answer that shows it.
     */
    private final class FeedWatcher implements AutoCloseable {
        private final String community;
        private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        private final Map<String, Long> visibleAfter = new ConcurrentHashMap<>();
        private final Thread poller;

        FeedWatcher(String community) {
            this.community = community;
            this.poller = Thread.ofPlatform().daemon().name("feed-watcher").start(this::poll);
        }

        void watch(String uri) {
            answeredAt.put(uri, System.nanoTime());
        }

        void awaitCommunityIndexed() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (feed().statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the community was not indexed within 120 s; see target/test-pds-feed-ingestor.log");
                }
                Thread.sleep(100);
            }
        }

        /** Waits until every post in {@code uris} was seen (or {@link #VISIBLE_TIMEOUT} after the last one); their latencies. */
        Map<String, Long> awaitAll(Set<String> uris) throws InterruptedException {
            long deadline = System.nanoTime() + VISIBLE_TIMEOUT.toNanos();
            while (!visibleAfter.keySet().containsAll(uris) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Map<String, Long> seen = new ConcurrentHashMap<>();
            uris.forEach(uri -> {
                Long nanos = visibleAfter.get(uri);
                if (nanos != null) {
                    seen.put(uri, nanos);
                }
            });
            return seen;
        }

        private HttpResponse<String> feed() throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/xrpc/social.coves.feed.getCommunity?sort=new&limit=50&community=" + community)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private void poll() {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    HttpResponse<String> response = feed();
                    long now = System.nanoTime();
                    if (response.statusCode() == 200) {
                        for (JsonNode item : MAPPER.readTree(response.body()).path("feed")) {
                            Long answered = answeredAt.get(item.at("/post/uri").asText());
                            if (answered != null) {
                                visibleAfter.putIfAbsent(item.at("/post/uri").asText(), Math.max(0, now - answered));
                            }
                        }
                    }
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException stop) {
                    return;
                } catch (Exception e) {
                    System.out.println("writes: feed poll failed: " + e);
                }
            }
        }

        @Override
        public void close() {
            poller.interrupt();
        }
    }

    /** The API's own meter of its createRecord calls to the PDS: how much of post.create is the PDS's time. */
    record PdsCalls(long count, double totalMs) {
        double meanMsSince(PdsCalls earlier) {
            return count == earlier.count ? 0 : (totalMs - earlier.totalMs) / (count - earlier.count);
        }
    }

    private PdsCalls pdsCalls() {
        Timer timer = meters.find("coves_api_pds_calls").tag("method", "com.atproto.repo.createRecord").tag("outcome", "ok").timer();
        return timer == null ? new PdsCalls(0, 0) : new PdsCalls(timer.count(), timer.totalTime(TimeUnit.MILLISECONDS));
    }

    // -- setup and report ----------------------------------------------------------------------------------------

    private PdsAccounts.Account newAccount(String name) {
        return pds.create(InstancePdsResource.stack().handle(name), name + "@example.test", "password-" + name);
    }

    private String createCommunity(PdsAccounts.Account creator, String name) throws Exception {
        String token = pds.serviceAuth(creator, InstancePdsResource.APPVIEW_DID, "social.coves.community.create");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/xrpc/social.coves.community.create")).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(Map.of("name", name,
                                "displayName", "Benchmark " + name, "description", "post.create benchmark")))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body()).path("did").asText();
    }

    private static void report(List<Level> levels) throws Exception {
        StringBuilder table = new StringBuilder("""
                | authors | posts each way | PDS createRecord p50 / p99 ms | API post.create p50 / p99 ms | overhead at p50 | in feed after the PDS's answer p50 / p99 ms | in feed after the API's answer p50 / p99 ms | not in feed in 30 s | API's own time per post (mean) |
                |---------|----------------|-------------------------------|------------------------------|-----------------|---------------------------------------------|---------------------------------------------|---------------------|--------------------------------|
                """);
        StringBuilder json = new StringBuilder("[");
        for (Level level : levels) {
            long[] pds = Percentiles.sorted(level.pds());
            long[] api = Percentiles.sorted(level.api());
            long[] pdsVisible = Percentiles.sorted(level.pdsVisible());
            long[] visible = Percentiles.sorted(level.apiVisible());
            double pdsP50 = Percentiles.millis(pds, 0.50);
            double apiP50 = Percentiles.millis(api, 0.50);
            double overhead = apiP50 - pdsP50;
            double apiMean = level.api().stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
            double ownMs = apiMean - level.apiPdsCallMeanMs();
            table.append(String.format(Locale.ROOT, "| %d | %d | %.1f / %.1f | %.1f / %.1f | %+.1f ms (%+.0f %%) | %.0f / %.0f | %.0f / %.0f | %d | %.1f ms |%n",
                    level.authors(), api.length, pdsP50, Percentiles.millis(pds, 0.99), apiP50, Percentiles.millis(api, 0.99),
                    overhead, 100 * overhead / pdsP50, Percentiles.millis(pdsVisible, 0.50), Percentiles.millis(pdsVisible, 0.99),
                    Percentiles.millis(visible, 0.50), Percentiles.millis(visible, 0.99), level.notVisible(), ownMs));
            json.append(json.length() > 1 ? "," : "").append(String.format(Locale.ROOT,
                    "{\"authors\":%d,\"posts\":%d,\"pdsP50Ms\":%.2f,\"pdsP99Ms\":%.2f,\"apiP50Ms\":%.2f,\"apiP99Ms\":%.2f,"
                            + "\"overheadRatioP50\":%.3f,\"pdsVisibleP50Ms\":%.1f,\"pdsVisibleP99Ms\":%.1f,"
                            + "\"visibleP50Ms\":%.1f,\"visibleP99Ms\":%.1f,\"notVisible\":%d,\"apiOwnMeanMs\":%.2f}",
                    level.authors(), api.length, pdsP50, Percentiles.millis(pds, 0.99), apiP50, Percentiles.millis(api, 0.99),
                    overhead / pdsP50, Percentiles.millis(pdsVisible, 0.50), Percentiles.millis(pdsVisible, 0.99), Percentiles.millis(visible, 0.50), Percentiles.millis(visible, 0.99), level.notVisible(), ownMs));
        }
        System.out.print(table);
        Files.createDirectories(Path.of("target", "bench"));
        Files.writeString(Path.of("target", "bench", "writes.md"), table);
        Files.writeString(Path.of("target", "bench", "writes.json"), json.append("]\n"));
    }
}
