package social.coves.api.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Publishes {@code http_server_requests_seconds_bucket} for the API so Prometheus can compute p99 per route
 * (alert CovesApiLatencyP99High, dashboard "Coves API"). A few fixed buckets, not the full percentile histogram,
 * to keep the series count per route small.
 */
public class HttpLatencyHistogram {

    private static final double[] BUCKETS_SECONDS = {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    @Produces
    @Singleton
    MeterFilter httpServerBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                double[] nanos = new double[BUCKETS_SECONDS.length];
                for (int i = 0; i < nanos.length; i++) {
                    nanos[i] = Duration.ofMillis((long) (BUCKETS_SECONDS[i] * 1000)).toNanos();
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}
