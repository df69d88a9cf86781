package social.coves.api.changes;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import social.coves.api.metrics.CacheMetrics;
import social.coves.api.xrpc.CallerContext;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Answers read from the index, each kept until a notice ({@link IndexChanges}) names one of the keys it was built from
 * (a community, a thread, or everything), or for {@link IndexCacheConfig#maxAge()} at most. Requests for an answer
 * being read share that read. While change notices are not being received nothing is served from here.
 *
 * <p>Metrics: the cache's Caffeine meters under {@code cache=<name>} ({@link CacheMetrics}); an answer found but
 * changed under it counts as a hit there and in {@code coves_api_index_cache_changed_total{cache}}.
 */
public final class UntilChangedCache<K, V> {

    private record Entry<V>(long readAt, V value, Collection<String> keys) {
    }

    private final IndexChanges changes;
    private final AsyncCache<K, Entry<V>> answers;
    private final Function<V, Collection<String>> keysOf;
    private final Counter changed;

    /**
     * @param keysOf the change keys an answer depends on ({@link IndexChanges#community}, {@link IndexChanges#thread},
     *               {@link IndexChanges#COMMUNITIES}); a change of everything is always one. {@code null}: the answer
     *               is not kept (say, "not found": no key names what may appear). Itself {@code null} when every
     *               read gives its keys ({@link #get(Object, Collection, Function)})
     */
    public UntilChangedCache(String name, long maximumSize, IndexCacheConfig config, IndexChanges changes, MeterRegistry metrics,
                             Function<V, Collection<String>> keysOf) {
        this.changes = changes;
        this.keysOf = keysOf;
        this.changed = metrics.counter("coves_api_index_cache_changed", "cache", name);
        this.answers = CacheMetrics.monitor(metrics, name, config.enabled() && maximumSize > 0
                ? Caffeine.newBuilder().recordStats().maximumSize(maximumSize).expireAfterWrite(config.maxAge()).<K, Entry<V>>buildAsync()
                : null);
    }

    /** The answer for {@code key}: kept, if nothing under it changed since it was read; else {@code read} now (shared). */
    public Uni<V> get(K key, Function<K, Uni<V>> read) {
        return get(key, read, keysOf);
    }

    /** As {@link #get(Object, Function)}, for an answer that depends on {@code keys} whatever it is (known before reading it). */
    public Uni<V> get(K key, Collection<String> keys, Function<K, Uni<V>> read) {
        return get(key, read, v -> keys);
    }

    private Uni<V> get(K key, Function<K, Uni<V>> read, Function<V, Collection<String>> keysOf) {
        if (answers == null || changes.now() == IndexChanges.NOT_LISTENING) {
            return read.apply(key);
        }
        CompletableFuture<Entry<V>> kept = answers.getIfPresent(key);
        if (kept != null && kept.state() == java.util.concurrent.Future.State.SUCCESS) {
            Entry<V> entry = kept.resultNow();
            if (entry.keys() != null && changes.unchangedSince(entry.readAt(), entry.keys())) {
                return Uni.createFrom().item(entry.value());
            }
            if (entry.keys() != null) {
                changed.increment();
            }
            answers.asMap().remove(key, kept);
        }
        return CallerContext.await(answers.get(key, (k, executor) -> {
            long readAt = changes.now(); // before the read: a change committed after it makes the answer stale
            return read.apply(k).map(v -> new Entry<>(readAt, v, keysOf.apply(v))).subscribeAsCompletionStage();
        })).map(Entry::value);
    }
}
