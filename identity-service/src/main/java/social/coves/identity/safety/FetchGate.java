package social.coves.identity.safety;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Admission control for outbound fetches: a per-host token bucket, a separate (larger) bucket for the PLC
 * directory, and a pod-wide bound on fetches in flight. Rate-limited fetches fail fast; a full pod waits briefly.
 */
public final class FetchGate {

    public record Settings(int maxConcurrent, Duration slotWait, double perHostPerSecond, int perHostBurst,
                           double plcPerSecond, int plcBurst) {
    }

    private final Settings settings;
    private final Semaphore slots;
    private final TokenBucket plc;
    private final Cache<String, TokenBucket> hosts = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    public FetchGate(Settings settings) {
        this.settings = settings;
        this.slots = new Semaphore(settings.maxConcurrent(), true);
        this.plc = new TokenBucket(settings.plcPerSecond(), settings.plcBurst(), System.nanoTime());
    }

    /** Takes a token for {@code host} (or the PLC bucket) and a fetch slot; close the permit when done. */
    public Permit enter(String host, boolean isPlc) throws FetchException {
        long now = System.nanoTime();
        TokenBucket bucket = isPlc ? plc : hosts.get(host,
                h -> new TokenBucket(settings.perHostPerSecond(), settings.perHostBurst(), now));
        if (!bucket.tryTake(now)) {
            throw new FetchException(FetchFailure.RATE_LIMITED, "rate limit reached for " + (isPlc ? "the PLC directory" : host));
        }
        try {
            if (!slots.tryAcquire(settings.slotWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new FetchException(FetchFailure.BUSY, "too many identity fetches in flight");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(FetchFailure.BUSY, "interrupted while waiting for a fetch slot");
        }
        return slots::release;
    }

    public int inFlight() {
        return settings.maxConcurrent() - slots.availablePermits();
    }

    @FunctionalInterface
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }
}
