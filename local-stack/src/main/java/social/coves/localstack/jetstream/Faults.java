package social.coves.localstack.jetstream;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Scripted misbehaviour of the stand-in, changeable while it runs: periodic disconnects (with or without a close
 * frame), a one-shot duplicate burst, and one-shot injected frames (garbage JSON or a corrupt zstd frame).
 */
public final class Faults {

    /** Inject {@code payload} as a text frame, or as a binary frame when {@code binary}. */
    public record Injection(byte[] payload, boolean binary) {
    }

    private volatile int disconnectEvery;
    private volatile boolean closeFrame = true;
    private volatile int duplicateBurst;
    private final AtomicReference<Injection> injection = new AtomicReference<>();

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

    public Faults clear() {
        disconnectEvery = 0;
        duplicateBurst = 0;
        injection.set(null);
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

    Injection takeInjection() {
        return injection.getAndSet(null);
    }
}
