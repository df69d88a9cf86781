package social.coves.identity.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import social.coves.identity.config.IdentityConfig;
import social.coves.identity.metrics.IdentityMetrics;
import social.coves.identity.resolution.Lookup;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Two-level identity cache. Level one is Caffeine in this pod: concurrent look-ups of one key share one load
 * (the in-flight future), and each entry expires at its own time (24 h for answers, minutes for negatives).
 * Level two is the shared Postgres table, consulted on a local miss before the network. Answers older than the
 * stale age are served while one background refresh runs; a failed refresh keeps the old answer until it expires.
 */
@ApplicationScoped
public class IdentityCache {

    private static final Logger LOG = Logger.getLogger(IdentityCache.class);
    private static final Duration LOAD_WAIT = Duration.ofSeconds(20);

    private final IdentityConfig.Cache settings;
    private final SharedCacheStore store;
    private final IdentityClock clock;
    private final IdentityMetrics metrics;
    private final AsyncCache<String, CacheEntry> local;
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final ExecutorService loaders = Executors.newVirtualThreadPerTaskExecutor();

    public IdentityCache(IdentityConfig config, SharedCacheStore store, IdentityClock clock, IdentityMetrics metrics) {
        this.settings = config.cache();
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
        this.local = Caffeine.newBuilder()
                .maximumSize(settings.maxEntries())
                .ticker(clock::nanoTime)
                .expireAfter(new EntryExpiry(clock))
                .executor(loaders)
                .buildAsync();
    }

    @PreDestroy
    void close() {
        loaders.shutdownNow();
    }

    /** The entry for {@code key}, loading it (once, however many callers ask) with {@code loader} when absent. */
    public CacheEntry get(String key, Supplier<Lookup> loader) {
        CompletableFuture<CacheEntry> present = local.getIfPresent(key);
        CompletableFuture<CacheEntry> future = present != null ? present
                : local.get(key, (k, executor) -> CompletableFuture.supplyAsync(() -> load(k, loader), executor));
        CacheEntry entry = await(key, future);
        if (present != null && present.isDone()) {
            boolean stale = entry.lookup().isFound() && entry.isStale(clock.now());
            metrics.cache(stale ? "stale" : "hit");
            if (stale) {
                refreshInBackground(key, loader);
            }
        } else if (present != null) {
            metrics.cache("hit");   // joined a load already in flight
        }
        return entry;
    }

    /**
     * The entry for {@code key} if this pod holds a finished one, else null — never waits, never loads, so it is safe
     * on an event-loop thread. A stale answer is returned and one background refresh (on the loader pool) is started.
     */
    public CacheEntry getIfCached(String key, Supplier<Lookup> loader) {
        CompletableFuture<CacheEntry> present = local.getIfPresent(key);
        if (present == null || !present.isDone() || present.isCompletedExceptionally()) {
            return null;
        }
        CacheEntry entry = present.join();
        boolean stale = entry.lookup().isFound() && entry.isStale(clock.now());
        metrics.cache(stale ? "stale" : "hit");
        if (stale) {
            refreshInBackground(key, loader);
        }
        return entry;
    }

    /** Loads {@code key} from the network now, replacing what is cached (refreshIdentity). */
    public CacheEntry reload(String key, Supplier<Lookup> loader) {
        CacheEntry entry = entry(key, loader.get());
        local.put(key, CompletableFuture.completedFuture(entry));
        if (settings.sharedTable()) {
            store.write(key, entry);
        }
        return entry;
    }

    public Optional<CacheEntry> peek(String key) {
        CompletableFuture<CacheEntry> future = local.getIfPresent(key);
        return future != null && future.isDone() && !future.isCompletedExceptionally()
                ? Optional.of(future.join()) : Optional.empty();
    }

    /** Drops everything cached about {@code did}: its document, the handle it claims, and {@code extraHandleKeys}. */
    public void purgeDid(String did, String... extraHandleKeys) {
        peek(did).flatMap(CacheEntry::document).flatMap(d -> d.claimedHandle())
                .ifPresent(handle -> local.synchronous().invalidate(handleKey(handle)));
        local.synchronous().invalidate(did);
        for (String key : extraHandleKeys) {
            local.synchronous().invalidate(key);
        }
        if (settings.sharedTable()) {
            store.deleteDid(did, extraHandleKeys);
        }
    }

    public void invalidate(String key) {
        local.synchronous().invalidate(key);
        if (settings.sharedTable()) {
            store.deleteKey(key);
        }
    }

    /** Test hook: forget a key in this pod only (as if another pod were asking). */
    void purgeLocalOnlyForTest(String key) {
        local.synchronous().invalidate(key);
    }

    public static String handleKey(String normalizedHandle) {
        return "handle:" + normalizedHandle;
    }

    private CacheEntry load(String key, Supplier<Lookup> loader) {
        if (settings.sharedTable()) {
            Optional<CacheEntry> shared = store.read(key);
            if (shared.isPresent()) {
                metrics.cache("shared");
                if (shared.get().lookup().isFound() && shared.get().isStale(clock.now())) {
                    refreshInBackground(key, loader);
                }
                return shared.get();
            }
        }
        metrics.cache("miss");
        CacheEntry entry = entry(key, loader.get());
        if (settings.sharedTable()) {
            store.write(key, entry);
        }
        return entry;
    }

    private void refreshInBackground(String key, Supplier<Lookup> loader) {
        if (!refreshing.add(key)) {
            return;
        }
        loaders.execute(() -> {
            try {
                Lookup fresh = loader.get();
                if (fresh.status() == Lookup.Status.FAILED) {
                    LOG.debugf("background refresh of %s failed, keeping the stale answer: %s", key, fresh.message());
                    return;
                }
                CacheEntry entry = entry(key, fresh);
                local.put(key, CompletableFuture.completedFuture(entry));
                if (settings.sharedTable()) {
                    store.write(key, entry);
                }
            } catch (RuntimeException e) {
                LOG.warnf("background refresh of %s failed: %s", key, e.getMessage());
            } finally {
                refreshing.remove(key);
            }
        });
    }

    private CacheEntry entry(String key, Lookup lookup) {
        Instant now = clock.now();
        Duration ttl = switch (lookup.status()) {
            case FOUND -> settings.expireAfter();
            case FAILED -> settings.failureTtl();
            default -> settings.notFoundTtl();
        };
        Instant stale = lookup.isFound() ? now.plus(settings.staleAfter()) : now.plus(ttl);
        return CacheEntry.of(key, lookup, now, stale, now.plus(ttl));
    }

    private static CacheEntry await(String key, CompletableFuture<CacheEntry> future) {
        try {
            return future.get(LOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resolving " + key, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("resolving " + key + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("resolving " + key + " took longer than " + LOAD_WAIT.toSeconds() + " s", e);
        }
    }

    /** Each entry lives until its own {@code expiresAt}, measured on the cache's (clock-driven) ticker. */
    private record EntryExpiry(IdentityClock clock) implements Expiry<String, CacheEntry> {
        @Override
        public long expireAfterCreate(String key, CacheEntry value, long currentTime) {
            return Math.max(0, Duration.between(clock.now(), value.expiresAt()).toNanos());
        }

        @Override
        public long expireAfterUpdate(String key, CacheEntry value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, CacheEntry value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
