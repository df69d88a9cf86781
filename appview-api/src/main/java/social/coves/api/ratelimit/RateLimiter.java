package social.coves.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/** A token bucket per key (client address or viewer DID): {@code perMinute} requests per minute, bursts up to that. */
public final class RateLimiter {

    private static final class Bucket {
        double tokens;
        long refilledAtNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAtNanos = now;
        }
    }

    private final double capacity;
    private final double tokensPerNano;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    public RateLimiter(int perMinute) {
        this.capacity = perMinute;
        this.tokensPerNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
    }

    /** Takes one token; false when the key has none left. */
    public boolean tryAcquire(String key, long nowNanos) {
        Bucket bucket = buckets.get(key, k -> new Bucket(capacity, nowNanos));
        synchronized (bucket) {
            bucket.tokens = Math.min(capacity, bucket.tokens + (nowNanos - bucket.refilledAtNanos) * tokensPerNano);
            bucket.refilledAtNanos = nowNanos;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    /** Seconds until the key has a token again (for {@code Retry-After}). */
    public long secondsUntilNextToken() {
        return Math.max(1, (long) Math.ceil(1 / (tokensPerNano * 1e9)));
    }
}
