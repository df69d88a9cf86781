package social.coves.identity.bench;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cached resolveIdentity over HTTP at 100 concurrent clients. Off by default; see the module README for the command.
 * Client and server share the machine, so the figures are a floor for what the service does on its own.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeNetworkResource.class)
@EnabledIfSystemProperty(named = "coves.bench", matches = "true")
class CachedLookupBenchmark {

    private static final int CLIENTS = Integer.getInteger("coves.bench.clients", 100);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("coves.bench.warmup-seconds", 5));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("coves.bench.seconds", 15));
    private static final int IDENTITIES = 50;

    @TestHTTPResource("/")
    URI base;

    @jakarta.inject.Inject
    social.coves.identity.resolution.IdentityService identities;

    /** The same look-ups in process, without HTTP: what the cache path itself costs at 100 threads. */
    @Test
    void cachedResolveIdentityInProcess() throws Exception {
        FakeNetwork net = FakeNetwork.get();
        List<String> identifiers = new ArrayList<>();
        for (int i = 0; i < IDENTITIES; i++) {
            String handle = DidDocs.unique("benchin") + ".test";
            String did = DidDocs.newPlcDid();
            net.route("localhost", "/" + did, Route.json(DidDocs.document(did, handle)));
            net.txt("_atproto." + handle, "did=" + did);
            identifiers.add(i % 2 == 0 ? handle : did);
            identities.resolveIdentity(identifiers.get(i));
        }
        long end = System.nanoTime() + MEASURE.toNanos();
        List<long[]> samples = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(CLIENTS);
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            for (int c = 0; c < CLIENTS; c++) {
                long[] mine = new long[4_000_000];
                samples.add(mine);
                int client = c;
                pool.execute(() -> {
                    int n = 0;
                    while (System.nanoTime() < end && n < mine.length - 1) {
                        long start = System.nanoTime();
                        identities.resolveIdentity(identifiers.get((client + n) % identifiers.size()));
                        mine[++n] = System.nanoTime() - start;
                    }
                    mine[0] = n;
                    done.countDown();
                });
            }
            done.await();
        }
        long total = samples.stream().mapToLong(s -> s[0]).sum();
        long[] all = new long[(int) total];
        int i = 0;
        for (long[] s : samples) {
            System.arraycopy(s, 1, all, i, (int) s[0]);
            i += (int) s[0];
        }
        Arrays.sort(all);
        Result result = new Result(all, total, 0);
        System.out.printf("%nBENCH cached resolveIdentity in process: threads=%d seconds=%d lookups=%d throughput=%.0f/s "
                        + "p50=%.4fms p99=%.4fms p999=%.4fms%n%n",
                CLIENTS, MEASURE.toSeconds(), total, total / (double) MEASURE.toSeconds(),
                result.percentile(0.50), result.percentile(0.99), result.percentile(0.999));
    }

    @Test
    void cachedResolveIdentity() throws Exception {
        FakeNetwork net = FakeNetwork.get();
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < IDENTITIES; i++) {
            String handle = DidDocs.unique("bench") + ".test";
            String did = DidDocs.newPlcDid();
            net.route("localhost", "/" + did, Route.json(DidDocs.document(did, handle)));
            net.txt("_atproto." + handle, "did=" + did);
            uris.add(base.resolve("/xrpc/com.atproto.identity.resolveIdentity?identifier=" + (i % 2 == 0 ? handle : did)));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (URI uri : uris) {
            assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        run(http, uris, WARMUP, false);
        Result result = run(http, uris, MEASURE, true);
        System.out.printf("%nBENCH cached resolveIdentity: clients=%d seconds=%d requests=%d errors=%d throughput=%.0f/s "
                        + "p50=%.2fms p99=%.2fms p999=%.2fms max=%.2fms%n%n",
                CLIENTS, MEASURE.toSeconds(), result.count, result.errors, result.count / (double) MEASURE.toSeconds(),
                result.percentile(0.50), result.percentile(0.99), result.percentile(0.999), result.percentile(1.0));
        assertThat(result.errors).isZero();
    }

    private Result run(HttpClient http, List<URI> uris, Duration duration, boolean record) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        List<long[]> samples = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(CLIENTS);
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            for (int c = 0; c < CLIENTS; c++) {
                long[] mine = new long[2_000_000];
                samples.add(mine);
                int client = c;
                pool.execute(() -> {
                    int n = 0;
                    try {
                        while (System.nanoTime() < end && n < mine.length - 1) {
                            URI uri = uris.get((client + n) % uris.size());
                            long start = System.nanoTime();
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                            mine[++n] = System.nanoTime() - start;
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    } finally {
                        mine[0] = n;
                        done.countDown();
                    }
                });
            }
            done.await();
        }
        if (!record) {
            return null;
        }
        long total = samples.stream().mapToLong(s -> s[0]).sum();
        long[] all = new long[(int) total];
        int i = 0;
        for (long[] s : samples) {
            System.arraycopy(s, 1, all, i, (int) s[0]);
            i += (int) s[0];
        }
        Arrays.sort(all);
        return new Result(all, total, errors.get());
    }

    private record Result(long[] sorted, long count, long errors) {
        double percentile(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }
    }
}
