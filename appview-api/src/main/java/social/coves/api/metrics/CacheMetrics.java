package social.coves.api.metrics;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import java.util.List;

/**
 * The API's caches on {@code /q/metrics}, through Micrometer's Caffeine binder, each tagged {@code cache=<name>}:
 * {@code cache_gets_total{result=hit|miss}}, {@code cache_puts_total}, {@code cache_evictions_total},
 * {@code cache_size}, and for loading caches {@code cache_load_duration_seconds}. A cache must be built with
 * {@code recordStats()} for hits and misses to count. Bookkeeping maps (rate-limit buckets, refresh times, locks) are
 * not caches and are not listed.
 */
public final class CacheMetrics {

    /** The meters (Micrometer's names) every monitored cache has. */
    public static final List<String> METERS = List.of("cache.gets", "cache.puts", "cache.evictions", "cache.size");

    private CacheMetrics() {
    }

    public static <K, V, C extends Cache<K, V>> C monitor(MeterRegistry registry, String name, C cache) {
        if (cache != null) {
            forgetEarlier(registry, name);
            CaffeineCacheMetrics.monitor(registry, cache, name);
        }
        return cache;
    }

    public static <K, V, C extends AsyncCache<K, V>> C monitor(MeterRegistry registry, String name, C cache) {
        if (cache != null) {
            forgetEarlier(registry, name);
            CaffeineCacheMetrics.monitor(registry, cache, name);
        }
        return cache;
    }

    /**
     * A cache built again under a name already monitored in this registry (a rebuilt bean; in tests, a new app on a
     * registry that outlives the previous one) is the one to report: Micrometer keeps the first meter of an id, which
     * would stay bound to the old cache (weakly, so it vanishes once that cache is collected).
     */
    private static void forgetEarlier(MeterRegistry registry, String name) {
        registry.getMeters().stream().filter(m -> name.equals(m.getId().getTag("cache"))).toList().forEach(registry::remove);
    }
}
