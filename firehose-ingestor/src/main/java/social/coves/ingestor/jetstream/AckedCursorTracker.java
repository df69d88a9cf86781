package social.coves.ingestor.jetstream;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tracks the newest cursor below which every event is acknowledged by Kafka. Events are registered in the order they
 * were read; acks may arrive out of order (different partitions), so the durable cursor only advances over a
 * contiguous acknowledged prefix. That cursor is where a reconnect resumes without a gap. Alongside it the tracker
 * keeps the largest {@code time_us} of that prefix (the fallback time cursor) and the cursor's {@code epoch}: a
 * number that changes whenever the seq space changes (another host, a reset server), so a seq is never sent to a
 * server it does not belong to.
 */
public final class AckedCursorTracker {

    /** What is durable: the cursor of the last event of the acked prefix, its epoch, and the largest time_us so far. */
    public record Durable(long cursor, int epoch, long maxTimeUs) {
    }

    private static final class Pending {
        final long cursor;
        final int epoch;
        final long timeUs;
        boolean acked;

        Pending(long cursor, int epoch, long timeUs) {
            this.cursor = cursor;
            this.epoch = epoch;
            this.timeUs = timeUs;
        }
    }

    private final Deque<Pending> pending = new ArrayDeque<>();
    private Durable durable;

    public AckedCursorTracker(Durable durable) {
        this.durable = durable;
    }

    public AckedCursorTracker(long cursor) {
        this(new Durable(cursor, 0, cursor >= CursorKinds.TIME_THRESHOLD ? cursor : 0));
    }

    /** Registers an event read from the socket; call {@link Ticket#ack()} when Kafka has it. */
    public synchronized Ticket register(long cursor, int epoch, long timeUs) {
        Pending p = new Pending(cursor, epoch, timeUs);
        pending.addLast(p);
        return () -> ack(p);
    }

    public Ticket register(long cursor) {
        return register(cursor, 0, cursor >= CursorKinds.TIME_THRESHOLD ? cursor : 0);
    }

    private synchronized void ack(Pending p) {
        p.acked = true;
        while (!pending.isEmpty() && pending.peekFirst().acked) {
            Pending done = pending.pollFirst();
            durable = new Durable(done.cursor, done.epoch, Math.max(durable.maxTimeUs(), done.timeUs));
        }
    }

    /** The newest cursor whose event and all earlier ones are durable in Kafka. */
    public synchronized long durable() {
        return durable.cursor();
    }

    public synchronized Durable durableState() {
        return durable;
    }

    public synchronized int inFlight() {
        return pending.size();
    }

    @FunctionalInterface
    public interface Ticket {
        void ack();
    }
}
