package social.coves.identity.cache;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/** Wall and monotonic time for cache ages. Tests move it forward to see entries go stale and expire. */
@ApplicationScoped
public class IdentityClock {

    private volatile long offsetNanos;

    public Instant now() {
        return Instant.now().plusNanos(offsetNanos);
    }

    public long nanoTime() {
        return System.nanoTime() + offsetNanos;
    }

    /** Test hook: pretend {@code duration} has passed. */
    public void advance(Duration duration) {
        offsetNanos += duration.toNanos();
    }
}
