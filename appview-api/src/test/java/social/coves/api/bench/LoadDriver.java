package social.coves.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Closed-loop HTTP load: {@code clients} virtual threads each sending the next request as soon as one returns. */
final class LoadDriver {

    record Result(String name, int clients, long requests, long errors, double seconds, double p50Ms, double p99Ms, double maxMs) {
        double requestsPerSecond() {
            return requests / seconds;
        }

        String row() {
            return String.format("| %-34s | %4d | %8.0f | %7.2f | %7.2f | %8.2f | %6d |", name, clients, requestsPerSecond(), p50Ms, p99Ms, maxMs, errors);
        }

        String json() {
            return String.format("{\"name\":\"%s\",\"clients\":%d,\"requests\":%d,\"errors\":%d,\"rps\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}",
                    name, clients, requests, errors, requestsPerSecond(), p50Ms, p99Ms, maxMs);
        }
    }

    static final String HEADER = "| scenario                           | conc |    req/s | p50 ms  | p99 ms  |  max ms  | errors |\n"
            + "|------------------------------------|------|----------|---------|---------|----------|--------|";

    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5)).build();

    Result run(String name, int clients, Duration warmUp, Duration measure, Supplier<HttpRequest> requests) throws Exception {
        drive(clients, warmUp, requests, null);
        List<long[]> perClient = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        perClient.addAll(drive(clients, measure, requests, errors));
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(name, clients, all.length, errors.get(), seconds,
                Percentiles.millis(all, 0.50), Percentiles.millis(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private List<long[]> drive(int clients, Duration duration, Supplier<HttpRequest> requests, AtomicLong errors) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        List<long[]> latencies = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<long[]>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                futures.add(executor.submit(() -> {
                    long[] samples = new long[1024];
                    int n = 0;
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        HttpResponse<Void> response = http.send(requests.get(), HttpResponse.BodyHandlers.discarding());
                        long took = System.nanoTime() - t0;
                        if (response.statusCode() != 200 && errors != null) {
                            errors.incrementAndGet();
                        }
                        if (n == samples.length) {
                            samples = Arrays.copyOf(samples, n * 2);
                        }
                        samples[n++] = took;
                    }
                    return Arrays.copyOf(samples, n);
                }));
            }
            for (var f : futures) {
                latencies.add(f.get());
            }
        }
        return latencies;
    }

    static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
    }
}
