package social.coves.api.metrics;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** What a monitored cache reports: its hits, misses, puts and size, under its name. */
class CacheMetricsBindingTests {

    @Test
    void aCacheCountsItsHitsMissesPutsAndSize() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Cache<String, String> cache = CacheMetrics.monitor(registry, "words", Caffeine.newBuilder().recordStats().<String, String>build());
        assertThat(cache.getIfPresent("a")).isNull();
        cache.put("a", "alpha");
        cache.getIfPresent("a");
        cache.get("a", k -> "unused");
        cache.get("b", k -> "beta");

        assertThat(gets(registry, "words", "hit")).isEqualTo(2);
        assertThat(gets(registry, "words", "miss")).isEqualTo(2);
        assertThat(registry.get("cache.puts").tag("cache", "words").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("cache.size").tag("cache", "words").gauge().value()).isEqualTo(2);
        assertThat(registry.get("cache.evictions").tag("cache", "words").functionCounter().count()).isZero();
    }

    @Test
    void anAsyncCacheToo() {
        MeterRegistry registry = new SimpleMeterRegistry();
        AsyncCache<String, String> cache = CacheMetrics.monitor(registry, "async", Caffeine.newBuilder().recordStats().<String, String>buildAsync());
        cache.get("k", (key, executor) -> CompletableFuture.completedFuture("v")).join();
        cache.get("k", (key, executor) -> CompletableFuture.completedFuture("other")).join();

        assertThat(gets(registry, "async", "miss")).isEqualTo(1);
        assertThat(gets(registry, "async", "hit")).isEqualTo(1);
    }

    @Test
    void noCacheNoMeters() {
        MeterRegistry registry = new SimpleMeterRegistry();
        assertThat(CacheMetrics.<String, String, Cache<String, String>>monitor(registry, "off", null)).isNull();
        assertThat(registry.getMeters()).isEmpty();
    }

    private static double gets(MeterRegistry registry, String cache, String result) {
        return registry.get("cache.gets").tag("cache", cache).tag("result", result).functionCounter().count();
    }
}
