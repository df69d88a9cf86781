package social.coves.identity.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop HTTP load from inside the JVM (used when wrk is not installed): {@code clients} virtual threads, each
 * sending its next request (cycling through {@code uris}) as soon as the previous one has answered (plus think time).
 */
final class InJvmLoad {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code thinkMillis} > 0: each client waits that long after an answer before its next request. */
    LoadResult run(String name, List<URI> uris, int clients, long thinkMillis, Duration warmUp, Duration measure) throws Exception {
        drive(uris, clients, thinkMillis, warmUp, new AtomicLong());
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        LoadResult.JvmTime t0 = LoadResult.JvmTime.now();
        long[] all = drive(uris, clients, thinkMillis, measure, errors).stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double seconds = (System.nanoTime() - start) / 1e9;
        LoadResult.JvmTime spent = LoadResult.JvmTime.now().since(t0);
        return new LoadResult(name, "in-jvm", clients, all.length, errors.get(), seconds,
                percentile(all, 0.50), percentile(all, 0.99), percentile(all, 1.0), 0, 0, 0).with(spent);
    }

    private List<long[]> drive(List<URI> uris, int clients, long thinkMillis, Duration duration, AtomicLong errors) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int offset = c * 7919;
                futures.add(executor.submit(() -> {
                    long[] samples = new long[4096];
                    int n = 0;
                    while (System.nanoTime() < deadline) {
                        HttpRequest request = HttpRequest.newBuilder(uris.get(Math.floorMod(offset + n, uris.size())))
                                .timeout(Duration.ofSeconds(10)).build();
                        long t0 = System.nanoTime();
                        try {
                            if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (java.io.IOException e) {
                            errors.incrementAndGet();
                        }
                        if (n == samples.length) {
                            samples = Arrays.copyOf(samples, n * 2);
                        }
                        samples[n++] = System.nanoTime() - t0;
                        if (thinkMillis > 0) {
                            Thread.sleep(thinkMillis);
                        }
                    }
                    return Arrays.copyOf(samples, n);
                }));
            }
            List<long[]> latencies = new ArrayList<>();
            for (Future<long[]> f : futures) {
                latencies.add(f.get());
            }
            return latencies;
        }
    }

    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }
}
