package social.coves.identity.bench;

import java.util.Locale;

/** One load scenario's figures, as printed and as written to {@code target/bench/identity.json}. */
record LoadResult(String name, String driver, int clients, long requests, long errors, double seconds,
                  double p50Ms, double p99Ms, double maxMs, double cpuMicrosPerRequest, double runQueueMicrosPerRequest,
                  double loadAverage) {

    static final String HEADER = "| scenario                 | driver | clients |    req/s |  p50 ms |  p99 ms |   max ms | errors | CPU µs/req | waiting for CPU µs/req | load avg |\n"
            + "|--------------------------|--------|---------|----------|---------|---------|----------|--------|------------|------------------------|----------|";

    /** The same figures with the JVM's CPU time and run-queue wait during the measured phase, per request. */
    LoadResult with(JvmTime spent) {
        return new LoadResult(name, driver, clients, requests, errors, seconds, p50Ms, p99Ms, maxMs,
                requests == 0 ? 0 : spent.cpuNanos() / 1000.0 / requests, requests == 0 ? 0 : spent.waitNanos() / 1000.0 / requests,
                JvmCpu.loadAverage());
    }

    /** CPU and run-queue time of this JVM over an interval. */
    record JvmTime(long cpuNanos, long waitNanos) {
        static JvmTime now() {
            return new JvmTime(JvmCpu.nanos(), JvmCpu.runQueueWaitNanos());
        }

        JvmTime since(JvmTime start) {
            return new JvmTime(cpuNanos - start.cpuNanos, waitNanos - start.waitNanos);
        }
    }

    double requestsPerSecond() {
        return seconds > 0 ? requests / seconds : 0;
    }

    String row() {
        return String.format(Locale.ROOT, "| %-24s | %-6s | %7d | %8.0f | %7.3f | %7.3f | %8.2f | %6d | %10.1f | %22.1f | %8.1f |",
                name, driver, clients, requestsPerSecond(), p50Ms, p99Ms, maxMs, errors, cpuMicrosPerRequest,
                runQueueMicrosPerRequest, loadAverage);
    }

    String json() {
        return String.format(Locale.ROOT, "{\"name\":\"%s\",\"driver\":\"%s\",\"clients\":%d,\"requests\":%d,\"errors\":%d,"
                        + "\"seconds\":%.2f,\"rps\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"jvm_cpu_us_per_request\":%.1f,"
                        + "\"jvm_run_queue_wait_us_per_request\":%.1f,\"load_average\":%.2f}",
                name, driver, clients, requests, errors, seconds, requestsPerSecond(), p50Ms, p99Ms, maxMs, cpuMicrosPerRequest,
                runQueueMicrosPerRequest, loadAverage);
    }
}
