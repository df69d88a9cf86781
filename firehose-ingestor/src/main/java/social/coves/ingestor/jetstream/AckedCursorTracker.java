package social.coves.ingestor.jetstream;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tracks the newest cursor below which every event is acknowledged by Kafka. Events are registered in the order they
 * were read; acks may arrive out of order (different partitions), so the durable cursor only advances over a
 * contiguous acknowledged prefix. That cursor is where a reconnect resumes without a gap.
 */
public final class AckedCursorTracker {

    private static final class Pending {
        final long cursor;
        boolean acked;

        Pending(long cursor) {
            this.cursor = cursor;
        }
    }

    private final Deque<Pending> pending = new ArrayDeque<>();
    private long durable;

    public AckedCursorTracker(long durable) {
        this.durable = durable;
    }

    /** Registers an event read from the socket; call {@link Ticket#ack()} when Kafka has it. */
    public synchronized Ticket register(long cursor) {
        Pending p = new Pending(cursor);
        pending.addLast(p);
        return () -> ack(p);
    }

    private synchronized void ack(Pending p) {
        p.acked = true;
        while (!pending.isEmpty() && pending.peekFirst().acked) {
            long cursor = pending.pollFirst().cursor;
            if (cursor > durable) {
                durable = cursor;
            }
        }
    }

    /** The newest cursor whose event and all earlier ones are durable in Kafka. */
    public synchronized long durable() {
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
