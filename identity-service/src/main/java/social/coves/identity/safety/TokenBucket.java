package social.coves.identity.safety;

/** A classic token bucket; {@link #tryTake} never blocks. */
final class TokenBucket {

    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    TokenBucket(double perSecond, int burst, long nowNanos) {
        this.perSecond = perSecond;
        this.capacity = Math.max(1, burst);
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    synchronized boolean tryTake(long nowNanos) {
        double elapsed = Math.max(0, nowNanos - lastNanos) / 1e9;
        tokens = Math.min(capacity, tokens + elapsed * perSecond);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
