package social.coves.identity.oauth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import social.coves.identity.cache.IdentityClock;
import social.coves.identity.config.IdentityConfig;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * In-memory outcomes per document URL (Caffeine, bounded): valid documents for {@code oauth.success-ttl}, failures for
 * {@code oauth.failure-ttl}, uncacheable failures not at all. Concurrent look-ups of one URL share one fetch; loads run
 * on {@code loaders}, never inside the cache's own locks. Ages follow {@link IdentityClock}, so tests can move time.
 */
final class DocumentCache<T> {

    private static final Duration LOAD_WAIT = Duration.ofSeconds(20);

    private final AsyncCache<String, Outcome<T>> outcomes;

    DocumentCache(IdentityConfig.OAuth settings, IdentityClock clock, Executor loaders) {
        this.outcomes = Caffeine.newBuilder()
                .maximumSize(settings.maxEntries())
                .ticker(clock::nanoTime)
                .expireAfter(new OutcomeExpiry<T>(settings.successTtl(), settings.failureTtl()))
                .executor(loaders)
                .buildAsync();
    }

    Outcome<T> get(String url, Supplier<Outcome<T>> load) {
        CompletableFuture<Outcome<T>> future = outcomes.get(url, (key, executor) -> CompletableFuture.supplyAsync(load, executor));
        try {
            return future.get(LOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted while fetching " + url, false);
        } catch (ExecutionException e) {
            return Outcome.failed("fetching " + url + " failed: " + e.getCause(), false);
        } catch (TimeoutException e) {
            return Outcome.failed("fetching " + url + " took longer than " + LOAD_WAIT.toSeconds() + " s", false);
        }
    }

    private record OutcomeExpiry<T>(Duration success, Duration failure) implements Expiry<String, Outcome<T>> {
        @Override
        public long expireAfterCreate(String key, Outcome<T> value, long currentTime) {
            return value.isValid() ? success.toNanos() : value.cacheable() ? failure.toNanos() : 0;
        }

        @Override
        public long expireAfterUpdate(String key, Outcome<T> value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Outcome<T> value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
