package social.coves.localstack.jetstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scripted misbehaviour of the stand-in, changeable while it runs: periodic disconnects (with or without a close
 * frame), a one-shot duplicate burst, one-shot injected frames (garbage JSON or a corrupt zstd frame), and a one-shot
 * stall (the server hangs with the connection open).
 */
public final class Faults {

    /** Inject {@code payload} as a text frame, or as a binary frame when {@code binary}. */
    public record Injection(byte[] payload, boolean binary) {
    }

    private volatile int disconnectEvery;
    private volatile boolean closeFrame = true;
    private volatile int duplicateBurst;
    private final AtomicReference<Injection> injection = new AtomicReference<>();
    private final AtomicInteger stallAfter = new AtomicInteger();
    private final AtomicInteger stalls = new AtomicInteger();

    /** Every connection is dropped after it has sent {@code events} events (0 = never). */
    public Faults disconnectEvery(int events, boolean withCloseFrame) {
        this.closeFrame = withCloseFrame;
        this.disconnectEvery = events;
        return this;
    }

    /** The next connection to send an event re-sends its last {@code events} frames right after it (once). */
    public Faults duplicateBurst(int events) {
        this.duplicateBurst = events;
        return this;
    }

    /** The next connection to send an event sends this frame first (once). */
    public Faults inject(Injection frame) {
        injection.set(frame);
        return this;
    }

    /**
     * The next connection to reach {@code events} sent events hangs (once): it sends nothing more, not even pings,
     * and stops reading, so the client's pings go unanswered, but the TCP connection stays open. Only a client-side
     * read deadline gets out of that.
     */
    public Faults stallAfter(int events) {
        stallAfter.set(events);
        return this;
    }

    /** How many connections have stalled so far. */
    public int stalls() {
        return stalls.get();
    }

    public Faults clear() {
        disconnectEvery = 0;
        duplicateBurst = 0;
        injection.set(null);
        stallAfter.set(0);
        return this;
    }

    int disconnectEvery() {
        return disconnectEvery;
    }

    boolean closeFrame() {
        return closeFrame;
    }

    synchronized int takeDuplicateBurst() {
        int burst = duplicateBurst;
        duplicateBurst = 0;
        return burst;
    }

    /** Whether a connection that has sent {@code sent} events stalls now (at most once per {@link #stallAfter}). */
    boolean takeStall(int sent) {
        int after = stallAfter.get();
        if (after > 0 && sent >= after && stallAfter.compareAndSet(after, 0)) {
            stalls.incrementAndGet();
            return true;
        }
        return false;
    }

    Injection takeInjection() {
        return injection.getAndSet(null);
    }
}
