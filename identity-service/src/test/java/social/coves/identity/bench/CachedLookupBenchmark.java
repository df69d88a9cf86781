package social.coves.identity.bench;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import social.coves.identity.support.DidDocs;
import social.coves.identity.support.FakeNetwork;
import social.coves.identity.support.FakeNetwork.Route;
import social.coves.identity.support.FakeNetworkResource;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;


/**
 * Cached resolveIdentity in process (no HTTP) at 100 threads: what the cache path itself costs. Off by default; the
 * HTTP benchmark is {@link IdentityHttpBenchmark} ({@code ./bench.sh identity}).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeNetworkResource.class)
@EnabledIfSystemProperty(named = "coves.bench", matches = "true")
class CachedLookupBenchmark {

    private static final int CLIENTS = Integer.getInteger("coves.bench.clients", 100);
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("coves.bench.seconds", 15));
    private static final int IDENTITIES = 50;

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
