package social.coves.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/**
 * A token bucket per key (a client address, a caller DID): {@code capacity} requests per {@code period}, bursts up to
 * that. Buckets of idle keys are forgotten once they would be full again.
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

    private final int capacity;
    private final Duration period;
    private final double tokensPerSecond;
    private final Cache<String, Bucket> buckets;

    public RateLimiter(int perMinute) {
        this(perMinute, Duration.ofMinutes(1));
    }

    public RateLimiter(int capacity, Duration period) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a rate limit needs at least 1 request per period, got " + capacity);
        }
        this.capacity = capacity;
        this.period = period;
        this.tokensPerSecond = capacity / (period.toMillis() / 1000.0);
        this.buckets = Caffeine.newBuilder().maximumSize(200_000)
                .expireAfterAccess(period.compareTo(Duration.ofMinutes(10)) > 0 ? period : Duration.ofMinutes(10)).build();
    }

    /** The period the capacity refills over, in words for messages ("minute", "10 minutes"). */
    public String periodText() {
        long minutes = period.toMinutes();
        return minutes == 1 ? "minute" : minutes + " minutes";
    }

    /** Takes one token from the key's bucket when it has one. */
    public Decision tryAcquire(String key, long nowNanos) {
        Bucket bucket = buckets.get(key, k -> new Bucket(capacity, nowNanos));
        synchronized (bucket) {
            double elapsedSeconds = Math.max(0, nowNanos - bucket.refilledAtNanos) / 1e9;
            bucket.tokens = Math.min(capacity, bucket.tokens + elapsedSeconds * tokensPerSecond);
            bucket.refilledAtNanos = nowNanos;
            boolean admitted = bucket.tokens >= 1;
            if (admitted) {
                bucket.tokens -= 1;
            }
            long reset = (long) Math.ceil((capacity - bucket.tokens) / tokensPerSecond);
            long retryAfter = admitted ? 0 : Math.max(1, (long) Math.ceil((1 - bucket.tokens) / tokensPerSecond));
            return new Decision(admitted, capacity, (int) Math.floor(bucket.tokens), reset, retryAfter);
        }
    }

    public int capacity() {
        return capacity;
    }
}
