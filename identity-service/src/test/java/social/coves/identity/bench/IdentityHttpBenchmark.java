package social.coves.identity.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import social.coves.identity.support.DidDocs;
import social.coves.identity.support.FakeNetwork;
import social.coves.identity.support.FakeNetwork.Route;
import social.coves.identity.support.FakeNetworkResource;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cached look-ups over HTTP at 100 concurrent clients: {@code ./bench.sh identity [--quick]}. Warms
 * {@code coves.bench.identities} identities served by the test PLC / DNS stand-in ({@link FakeNetwork}), then drives
 * resolveIdentity (half by handle, half by DID), resolveDid and resolveHandle back to back (saturation), then
 * resolveIdentity paced (each client thinks {@code coves.bench.think-ms} between requests), with wrk when it is
 * installed, the in-JVM driver otherwise, and writes {@code target/bench/identity.json}. With {@code -Dcoves.bench.jfr=true} the measured
 * phase is recorded to {@code target/bench/identity.jfr} (JFR "profile" settings).
 */
@QuarkusTest
@TestProfile(IdentityHttpBenchmark.Warming.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeNetworkResource.class)
@EnabledIfSystemProperty(named = "coves.bench.identity", matches = "true")
class IdentityHttpBenchmark {

    private static final int CLIENTS = Integer.getInteger("coves.bench.clients", 100);
    private static final int IDENTITIES = Integer.getInteger("coves.bench.identities", 1000);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("coves.bench.warmup-seconds", 5));
    /** Think time of the paced scenario: 100 clients × one request per ~20 ms ≈ 5,000 req/s offered. */
    private static final long THINK_MILLIS = Long.getLong("coves.bench.think-ms", 20);
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("coves.bench.seconds", 10));

    /** Warming thousands of identities must not trip the PLC rate limit or the short test timeouts. */
    public static class Warming implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coves.identity.limits.plc-per-second", "100000", "coves.identity.limits.plc-burst", "100000",
                    "coves.identity.fetch.read-timeout", "5s", "coves.identity.fetch.total-timeout", "10s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry registry;

    @Test
    void cachedLookupsOverHttp() throws Exception {
        List<URI> byIdentity = new ArrayList<>();
        List<URI> byDid = new ArrayList<>();
        List<URI> byHandle = new ArrayList<>();
        FakeNetwork net = FakeNetwork.get();
        for (int i = 0; i < IDENTITIES; i++) {
            String handle = DidDocs.unique("bench") + ".test";
            String did = DidDocs.newPlcDid();
            net.route("localhost", "/" + did, Route.json(DidDocs.document(did, handle)));
            net.txt("_atproto." + handle, "did=" + did);
            byIdentity.add(xrpc("resolveIdentity?identifier=" + (i % 2 == 0 ? handle : did)));
            byDid.add(xrpc("resolveDid?did=" + did));
            byHandle.add(xrpc("resolveHandle?handle=" + handle));
        }
        warm(byIdentity, byDid, byHandle);

        boolean wrk = WrkLoad.available();
        List<URI> everything = new ArrayList<>(byIdentity);
        everything.addAll(byDid);
        everything.addAll(byHandle);
        load(wrk, "JIT warm-up (not reported)", everything, 0);
        List<LoadResult> results = new ArrayList<>();
        double missesBefore = misses();
        try (Recording recording = Boolean.getBoolean("coves.bench.jfr") ? new Recording(Configuration.getConfiguration("profile")) : null) {
            if (recording != null) {
                recording.start();
            }
            results.add(load(wrk, "resolveIdentity", byIdentity, 0));
            results.add(load(wrk, "resolveDid", byDid, 0));
            results.add(load(wrk, "resolveHandle", byHandle, 0));
            results.add(load(wrk, "resolveIdentity paced", byIdentity, THINK_MILLIS));
            if (recording != null) {
                recording.stop();
                Path jfr = Path.of("target", "bench", "identity.jfr");
                Files.createDirectories(jfr.getParent());
                recording.dump(jfr);
                System.out.println("JFR recording: " + jfr.toAbsolutePath());
            }
        }
        double missesDuring = misses() - missesBefore;

        StringBuilder table = new StringBuilder(LoadResult.HEADER);
        results.forEach(r -> table.append('\n').append(r.row()));
        System.out.printf("%nBENCH identity: %d identities (all cached), %d clients, %d s per scenario after %d s warm-up, load from %s;"
                        + " paced = %d ms think time per client, the others send back to back%n%s%n%n",
                IDENTITIES, CLIENTS, MEASURE.toSeconds(), WARMUP.toSeconds(), wrk ? "wrk (separate process)" : "the in-JVM driver",
                THINK_MILLIS, table);
        Path out = Path.of("target", "bench", "identity.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "{\"identities\":" + IDENTITIES + ",\"clients\":" + CLIENTS + ",\"seconds\":" + MEASURE.toSeconds()
                + ",\"think_ms\":" + THINK_MILLIS + ",\"driver\":\"" + (wrk ? "wrk" : "in-jvm") + "\",\"cpus\":"
                + Runtime.getRuntime().availableProcessors() + ",\"scenarios\":["
                + String.join(",", results.stream().map(LoadResult::json).toList()) + "]}\n");

        assertThat(results).allSatisfy(r -> {
            assertThat(r.requests()).isPositive();
            assertThat(r.errors()).isZero();
        });
        assertThat(missesDuring).as("every measured look-up is a cache hit").isZero();
    }

    private LoadResult load(boolean wrk, String name, List<URI> uris, long thinkMillis) throws Exception {
        return wrk ? new WrkLoad().run(name, uris, CLIENTS, thinkMillis, WARMUP, MEASURE)
                : new InJvmLoad().run(name, uris, CLIENTS, thinkMillis, WARMUP, MEASURE);
    }

    /** Every URL answered once (that fills the cache), each answer checked; 16 at a time. */
    @SafeVarargs
    private static void warm(List<URI>... lists) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> checks = new ArrayList<>();
            for (List<URI> uris : lists) {
                for (URI uri : uris) {
                    checks.add(pool.submit(() -> {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
                        assertThat(response.body()).contains("did:plc:");
                        return null;
                    }));
                }
            }
            for (Future<?> check : checks) {
                check.get();
            }
        }
    }

    private double misses() {
        var counter = registry.find("coves.identity.cache.requests").tag("result", "miss").counter();
        return counter == null ? 0 : counter.count();
    }

    private URI xrpc(String query) {
        return base.resolve("/xrpc/com.atproto.identity." + query);
    }
}
