package social.coves.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/**
 * A token bucket per key (a client address): {@code perMinute} requests per minute, bursts up to that. Buckets of
 * idle clients are forgotten after ten minutes (they would be full again by then anyway).
 */
public final class RateLimiter {

    /** What one request was told: admitted or not, and the numbers behind the {@code RateLimit-*} headers. */
    public record Decision(boolean admitted, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private static final class Bucket {
        double tokens;
        long refilledAtNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAtNanos = now;
        }
    }

    private final int perMinute;
    private final double tokensPerSecond;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    public RateLimiter(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("a rate limit needs at least 1 request per minute, got " + perMinute);
        }
        this.perMinute = perMinute;
        this.tokensPerSecond = perMinute / 60.0;
    }

    /** Takes one token from the key's bucket when it has one. */
    public Decision tryAcquire(String key, long nowNanos) {
        Bucket bucket = buckets.get(key, k -> new Bucket(perMinute, nowNanos));
        synchronized (bucket) {
            double elapsedSeconds = Math.max(0, nowNanos - bucket.refilledAtNanos) / 1e9;
            bucket.tokens = Math.min(perMinute, bucket.tokens + elapsedSeconds * tokensPerSecond);
            bucket.refilledAtNanos = nowNanos;
            boolean admitted = bucket.tokens >= 1;
            if (admitted) {
                bucket.tokens -= 1;
            }
            long reset = (long) Math.ceil((perMinute - bucket.tokens) / tokensPerSecond);
            long retryAfter = admitted ? 0 : Math.max(1, (long) Math.ceil((1 - bucket.tokens) / tokensPerSecond));
            return new Decision(admitted, perMinute, (int) Math.floor(bucket.tokens), reset, retryAfter);
        }
    }

    public int perMinute() {
        return perMinute;
    }
}
