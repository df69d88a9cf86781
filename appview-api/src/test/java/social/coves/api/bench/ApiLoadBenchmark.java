package social.coves.api.bench;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.IdentityServiceResource;
import social.coves.api.support.RunningIdentityService;
import social.coves.api.support.ServiceJwts;
import social.coves.lexicon.crypto.KeyAlgorithm;
import social.coves.lexicon.crypto.SigningKey;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.SharedPostgres;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * API load benchmark (off by default). Seeds a large dataset, then drives each read at 100 concurrent clients (and
 * 500 with {@code -Dcoves.bench.clients=100,500}) at page 1 and page 50 (identical reads: sharing's best case), then
 * {@link MixedTraffic}, requests that look like users, as a whole and kind by kind; prints p50/p99/max and req/s. Writes
 * {@code target/bench/api.json}. Run: {@code ./bench.sh api} or
 * {@code ./mvnw -pl appview-api verify -Dtest=ApiLoadBenchmark -Dcoves.bench.api=true [-Dcoves.bench.posts=1000000]}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "coves.bench.api", matches = "true")
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class ApiLoadBenchmark {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void measure() throws Exception {
        int posts = Integer.getInteger("coves.bench.posts", 1_000_000);
        int communities = Integer.getInteger("coves.bench.communities", 1000);
        int comments = Integer.getInteger("coves.bench.comments", 1000);
        Duration measure = Duration.ofSeconds(Integer.getInteger("coves.bench.seconds", 10));
        Duration warmUp = Duration.ofSeconds(Integer.getInteger("coves.bench.warmup-seconds", 3));
        List<Integer> clientCounts = java.util.Arrays.stream(System.getProperty("coves.bench.clients", "100").split(","))
                .map(String::trim).map(Integer::parseInt).toList();

        SharedPostgres.Connection pg = SharedPostgres.connection();
        String rootPost;
        long seedStart = System.nanoTime();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            BenchDataset.create(c, communities, posts, comments);
            rootPost = BenchDataset.rootPostUri(c);
        }
        System.out.printf("seeded %,d posts in %,d communities and a %,d-comment thread in %.1f s%n", posts, communities, comments,
                (System.nanoTime() - seedStart) / 1e9);

        if (Boolean.getBoolean("coves.bench.explain")) {
            try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
                QueryPlans.print(c, BenchDataset.did("benchcomm", 1));
                QueryPlans.printGeneric(c, BenchDataset.did("benchcomm", 1));
                QueryPlans.printTimeline(c, BenchDataset.VIEWER);
            }
        }
        SigningKey viewerKey = SigningKey.generate(KeyAlgorithm.ES256K);
        RunningIdentityService.get().plc().publish(BenchDataset.VIEWER, "viewer.bench.test", viewerKey);
        String base = "http://localhost:" + port + "/xrpc/";
        String big = BenchDataset.did("benchcomm", 1);
        String small = BenchDataset.did("benchcomm", 500);

        String token = ServiceJwts.bearer(viewerKey, BenchDataset.VIEWER, "did:web:localhost", "social.coves.feed.getTimeline",
                p -> p.put("exp", java.time.Instant.now().getEpochSecond() + 3000));
        List<String> viewerTokens = new ArrayList<>();
        List<SigningKey> viewerKeys = new ArrayList<>();
        for (int k = 1; k <= BenchDataset.VIEWERS; k++) {
            SigningKey key = SigningKey.generate(k % 2 == 0 ? KeyAlgorithm.ES256K : KeyAlgorithm.ES256);
            viewerKeys.add(key);
            RunningIdentityService.get().plc().publish(BenchDataset.viewer(k), "reader" + k + ".bench.test", key);
            viewerTokens.add(viewerToken(viewerKeys, k, "social.coves.feed.getTimeline"));
        }
        long hold = Long.getLong("coves.bench.hold-seconds", 0);
        if (hold > 0) { // keeps the seeded API up for hand-made requests and profiling (curl, wrk, jcmd JFR.start)
            System.out.printf("holding for %d s: %s (big community %s, viewer token in target/bench/viewer-token, "
                    + "%d more in target/bench/viewer-tokens, one per line)%n", hold, base, big, viewerTokens.size());
            Files.createDirectories(Path.of("target", "bench"));
            Files.writeString(Path.of("target", "bench", "viewer-token"), token);
            Files.write(Path.of("target", "bench", "viewer-tokens"), viewerTokens);
            Thread.sleep(hold * 1000);
        }
        LoadDriver driver = new LoadDriver();
        List<String> notes = new ArrayList<>();
        MixSqlCeiling mixCeiling = new MixSqlCeiling();
        MixSqlCeiling.Capture mixCapture = null;
        Map<Integer, LoadDriver.Result> mixResults = new java.util.TreeMap<>();
        boolean wrk = WrkDriver.available() && !Boolean.getBoolean("coves.bench.in-jvm");
        List<LoadDriver.Result> results = new ArrayList<>();
        // JIT warm-up before the first measured scenario (the per-scenario warm-up alone left the first rows ~2x slow)
        Duration jitWarmUp = Duration.ofSeconds(Integer.getInteger("coves.bench.jit-warmup-seconds", 10));
        String warmUrl = base + "social.coves.feed.getCommunity?community=" + big + "&sort=hot&timeframe=all&limit=15";
        // and the timeline's path (heads, merge, post views), which the community feeds do not exercise
        List<WrkDriver.Request> warmTimelines = viewerTokens.stream()
                .map(t -> new WrkDriver.Request(base + "social.coves.feed.getTimeline?sort=new&limit=15", t)).toList();
        // the mix touches every read path: it is warmed up on its own (its first seconds otherwise spend a quarter of the
        // machine in the JIT compilers: measured with -Dcoves.bench.jfr=true, C2 alone 22 % of the CPU in a 10 s row)
        MixedTraffic traffic = mixedTraffic(base, communities, rootPost, viewerKeys);
        List<WrkDriver.Request> mix = requests(traffic.build(MIX_SIZE));
        Duration mixWarmUp = Duration.ofSeconds(Integer.getInteger("coves.bench.mix-warmup-seconds", 30));
        // the mix is read while the index changes under it, as the indexer would change it (MixWrites)
        MixWrites writes = new MixWrites(communities, Integer.getInteger("coves.bench.mix-writes-per-second", 200));
        writes.start();
        if (wrk) {
            WrkDriver.run("jit warm-up", warmUrl, null, clientCounts.getFirst(), jitWarmUp, Duration.ofSeconds(1));
            WrkDriver.run("jit warm-up (timeline)", warmTimelines, clientCounts.getFirst(), jitWarmUp, Duration.ofSeconds(1));
            WrkDriver.run("jit warm-up (mix)", mix, clientCounts.getFirst(), mixWarmUp, Duration.ofSeconds(1));
        } else {
            driver.run("jit warm-up", clientCounts.getFirst(), jitWarmUp, Duration.ofSeconds(1), () -> LoadDriver.get(warmUrl));
            AtomicInteger next = new AtomicInteger();
            driver.run("jit warm-up (timeline)", clientCounts.getFirst(), jitWarmUp, Duration.ofSeconds(1),
                    () -> request(warmTimelines.get(Math.floorMod(next.getAndIncrement(), warmTimelines.size()))));
            AtomicInteger nextOfMix = new AtomicInteger();
            driver.run("jit warm-up (mix)", clientCounts.getFirst(), mixWarmUp, Duration.ofSeconds(1),
                    () -> request(mix.get(Math.floorMod(nextOfMix.getAndIncrement(), mix.size()))));
        }
        writes.stop();
        for (int clients : clientCounts) {
            Load load = (name, url, auth) -> wrk ? WrkDriver.run(name, url, auth, clients, warmUp, measure)
                    : driver.run(name, clients, warmUp, measure, () -> request(new WrkDriver.Request(url, auth)));
            LoadMany loadMany = (name, requests) -> {
                AtomicInteger next = new AtomicInteger();
                return wrk ? WrkDriver.run(name, requests, clients, warmUp, measure)
                        : driver.run(name, clients, warmUp, measure, () -> request(requests.get(Math.floorMod(next.getAndIncrement(), requests.size()))));
            };
            // -Dcoves.bench.scenarios=mix: only the users-like mix and its SQL ceiling (no identical reads, no kinds alone)
            boolean identicalReads = !"mix".equals(System.getProperty("coves.bench.scenarios"));
            for (String sort : identicalReads ? List.of("hot", "top", "new") : List.<String>of()) {
                String page1 = base + "social.coves.feed.getCommunity?community=" + big + "&sort=" + sort + "&timeframe=all&limit=15";
                results.add(load.run("community " + sort + " p1 (big)", page1, null));
                String page50 = page1 + "&cursor=" + URLEncoder.encode(cursorAtPage(page1, 50, null), StandardCharsets.UTF_8);
                results.add(load.run("community " + sort + " p50 (big)", page50, null));
            }
            if (identicalReads) {
                results.add(load.run("community new p1 (small)", base + "social.coves.feed.getCommunity?community=" + small + "&sort=new&limit=15", null));
                String timeline = base + "social.coves.feed.getTimeline?sort=new&limit=15";
                // one viewer on 100 connections: identical reads of one viewer share an answer in flight (sharing's best case)
                results.add(load.run("timeline new p1 (1 viewer)", timeline, token));
                results.add(load.run("timeline new p50 (1 viewer)", timeline + "&cursor="
                        + URLEncoder.encode(cursorAtPage(timeline, 50, token), StandardCharsets.UTF_8), token));
                // 100 viewers, 50 subscriptions each: nothing to share but the community heads
                for (String sort : List.of(System.getProperty("coves.bench.timeline-sorts", "new,hot").split(","))) {
                    String url = base + "social.coves.feed.getTimeline?sort=" + sort + "&limit=15";
                    results.add(loadMany.run("timeline " + sort + " p1 (100 viewers)", viewerTokens.stream().map(t -> new WrkDriver.Request(url, t)).toList()));
                }
                List<WrkDriver.Request> deep = new ArrayList<>();
                for (String t : viewerTokens) {
                    String cursor = cursorAtPage(timeline, 50, t);
                    deep.add(new WrkDriver.Request(cursor == null ? timeline : timeline + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), t));
                }
                results.add(loadMany.run("timeline new p50 (100 viewers)", deep));
                results.add(load.run("community.get", base + "social.coves.community.get?community=" + small, null));
                String thread = base + "social.coves.community.comment.getComments?post="
                        + URLEncoder.encode(rootPost, StandardCharsets.UTF_8) + "&sort=top&limit=50";
                results.add(load.run("getComments 1k-comment post", thread, null));
                // a third of the thread is top-level (7 pages of 50 for 1,000 comments), so its deepest page stands in for page 50
                String lastPage = cursorOfLastPage(thread);
                results.add(load.run("getComments last page", lastPage == null ? thread
                        : thread + "&cursor=" + URLEncoder.encode(lastPage, StandardCharsets.UTF_8), null));
            }

            // traffic that looks like users: the mix (with the machine's CPU split), then each kind of it alone
            String mixName = "mix: users-like (Zipf 1.1, 30 % viewers)";
            writes.start();
            if (wrk && CpuSplit.available()) {
                CpuSplit cpu = new CpuSplit();
                WrkDriver.Window[] windows = Boolean.getBoolean("coves.bench.jfr")
                        ? new WrkDriver.Window[] {cpu, new JfrWindow("mix-" + clients)} : new WrkDriver.Window[] {cpu};
                LoadDriver.Result r = WrkDriver.run(mixName, mix, clients, warmUp, measure, windows);
                results.add(r);
                mixResults.put(clients, r);
                notes.add("CPU of the mix at " + clients + " clients: " + cpu.describe(r.requests()));
            } else {
                results.add(loadMany.run(mixName, mix));
            }
            if (wrk && clients == clientCounts.getFirst() && mixCeiling.available()) {
                // the statements the API sends for the mix, captured while it serves it, for pgbench below
                LoadDriver.Result r = WrkDriver.run("mix: statements captured", mix, clients, Duration.ofSeconds(1), measure, mixCeiling);
                mixCapture = mixCeiling.capture(r.requests());
                notes.add(String.format("mix SQL captured at %d clients: %,d requests (%.0f/s while every statement was logged), %,d statements, %d distinct texts",
                        clients, r.requests(), r.requestsPerSecond(), mixCapture.executions(), mixCapture.statements().size()));
            }
            for (String kind : identicalReads ? MixedTraffic.WEIGHTS.keySet() : java.util.Set.<String>of()) {
                results.add(loadMany.run("mix: " + kind + " alone (" + MixedTraffic.WEIGHTS.get(kind) + " % of it)",
                        requests(traffic.only(kind, MIX_SIZE))));
            }
            writes.stop();
        }
        notes.add("the mix and its kinds were read " + writes.describe() + " (-Dcoves.bench.mix-writes-per-second; "
                + String.format("%,d rows written in all)", writes.written()));

        if (PgbenchCeiling.binary() != null) {
            int poolSize = Integer.getInteger("coves.bench.pool-size", 20); // quarkus.datasource.reactive.max-size
            results.add(PgbenchCeiling.run("community hot p1 (big) SQL", QueryPlans.withLiteral(QueryPlans.COMMUNITY_HOT, big), poolSize, measure));
            results.add(PgbenchCeiling.run("timeline new p1 SQL", QueryPlans.withLiteral(QueryPlans.TIMELINE, BenchDataset.VIEWER), poolSize, measure));
            if (mixCapture != null) {
                List<LoadDriver.Result> ceiling = mixCeiling.run(mixCapture, poolSize, measure);
                results.addAll(ceiling);
                double ceilingRps = ceiling.getFirst().requestsPerSecond();
                // each pgbench transaction also reads its parameters: the ceiling without that read, estimated from its own rate
                double withoutLookUps = 1 / (1 / ceilingRps - 1 / ceiling.get(1).requestsPerSecond());
                mixResults.forEach((clients, r) -> notes.add(String.format(
                        "mix at %d clients: %.0f req/s = %.0f %% of the mix's SQL ceiling (%.0f req/s; %.0f %% of %.0f req/s, the ceiling without pgbench's parameter look-ups)",
                        clients, r.requestsPerSecond(), 100 * r.requestsPerSecond() / ceilingRps, ceilingRps,
                        100 * r.requestsPerSecond() / withoutLookUps, withoutLookUps)));
                mixCeiling.profile().forEach(line -> notes.add("mix SQL: " + line));
            } else {
                System.out.println("no statement capture (-Dcoves.postgres.json-log-dir, wrk): the mix's SQL ceiling row is missing");
            }
        } else {
            System.out.println("no pgbench found (Debian postgresql-client-NN): the database ceiling rows are missing");
        }

        StringBuilder table = new StringBuilder(LoadDriver.HEADER);
        results.forEach(r -> table.append('\n').append(r.row()));
        System.out.println("\nAPI load (" + posts + " posts, " + communities + " communities)\n" + table);
        notes.forEach(n -> System.out.println("NOTE " + n));
        Path out = Path.of("target", "bench", "api.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "{\"posts\":" + posts + ",\"communities\":" + communities + ",\"results\":["
                + String.join(",", results.stream().map(LoadDriver.Result::json).toList()) + "]}\n");
        Files.writeString(Path.of("target", "bench", "api.md"), table + "\n\n" + String.join("\n", notes) + "\n");
    }

    private static String viewerToken(List<SigningKey> keys, int viewer, String method) {
        return ServiceJwts.bearer(keys.get(viewer - 1), BenchDataset.viewer(viewer), "did:web:localhost", method,
                p -> p.put("exp", java.time.Instant.now().getEpochSecond() + 3000));
    }

    /**
     * Requests in the mix's list: more than its warm-up, measured run and capture send together at this machine's
     * rates (runs go on through the list, {@link WrkDriver}), so a URL drawn once (a thread, a post.get) is not sent
     * again and served from a cache; what repeats, repeats because the mix draws it again (Zipf).
     */
    private static final int MIX_SIZE = 400_000;

    private static List<WrkDriver.Request> requests(List<MixedTraffic.Tagged> tagged) {
        return tagged.stream().map(MixedTraffic.Tagged::request).toList();
    }

    /** {@link MixedTraffic} over the seeded data, with deep-page cursors of the 20 most requested communities gathered first. */
    private static MixedTraffic mixedTraffic(String base, int communities, String rootPost, List<SigningKey> viewerKeys)
            throws Exception {
        List<String> postUris = new ArrayList<>();
        SharedPostgres.Connection pg = SharedPostgres.connection();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             var rs = c.createStatement().executeQuery("SELECT uri FROM appview.posts ORDER BY md5(uri) LIMIT 5000")) {
            while (rs.next()) {
                postUris.add(rs.getString(1));
            }
        }
        Map<String, String> deep = new HashMap<>();
        for (int n = 1; n <= 20; n++) {
            for (String sort : List.of("hot", "new")) {
                String page1 = base + "social.coves.feed.getCommunity?community=" + BenchDataset.did("benchcomm", n) + "&sort=" + sort + "&limit=15";
                String cursor = cursorAtPage(page1, 5, null);
                if (cursor != null) {
                    deep.put(n + " " + sort, cursor);
                }
            }
        }
        Map<String, String> tokens = new ConcurrentHashMap<>();
        MixedTraffic.Inputs inputs = new MixedTraffic.Inputs(base, communities, postUris, rootPost, 20_000, BenchDataset.VIEWERS, deep,
                (viewer, method) -> tokens.computeIfAbsent(viewer + " " + method, k -> viewerToken(viewerKeys, viewer, method)));
        return new MixedTraffic(inputs, 7);
    }

    @FunctionalInterface
    interface Load {
        LoadDriver.Result run(String name, String url, String authorization) throws Exception;
    }

    @FunctionalInterface
    interface LoadMany {
        LoadDriver.Result run(String name, List<WrkDriver.Request> requests) throws Exception;
    }

    private static HttpRequest request(WrkDriver.Request r) {
        return r.authorization() == null ? LoadDriver.get(r.url())
                : HttpRequest.newBuilder(java.net.URI.create(r.url())).header("Authorization", r.authorization()).build();
    }

    /** Walks the pages of an anonymous read to the cursor of its last page; null when it has one page only. */
    private static String cursorOfLastPage(String page1) {
        String last = null;
        for (String cursor = nextCursor(page1, null, null); cursor != null; cursor = nextCursor(page1, cursor, null)) {
            last = cursor;
        }
        return last;
    }

    /** Walks pages 1..n-1 to get the cursor of page n. */
    private static String cursorAtPage(String page1, int page, String authorization) {
        String cursor = null;
        for (int i = 1; i < page; i++) {
            cursor = nextCursor(page1, cursor, authorization);
        }
        return cursor;
    }

    /** The cursor the page at {@code cursor} (page 1 when null) hands on; null on the last page. */
    private static String nextCursor(String page1, String cursor, String authorization) {
        var request = RestAssured.given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        String url = cursor == null ? page1 : page1 + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        return request.urlEncodingEnabled(false).get(url).then().statusCode(200).extract().jsonPath().getString("cursor");
    }
}
