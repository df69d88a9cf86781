package social.coves.localstack.jetstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.concurrent.locks.LockSupport;

/**
 * Appends frames to an {@link EventLog} at a steady rate on a daemon thread, as a live Jetstream would see them
 * arrive: each frame's {@code time_us} becomes the wall-clock time it was appended (the server's witness time). If
 * appending falls behind the schedule it catches up without sleeping.
 */
public final class PacedFeed implements AutoCloseable {

    private final Thread thread;
    private volatile boolean stopped;
    private volatile long appended;

    private PacedFeed(EventLog log, Iterator<ObjectNode> frames, double perSecond) {
        long intervalNanos = (long) (1e9 / perSecond);
        this.thread = new Thread(() -> {
            long start = System.nanoTime();
            long count = 0;
            while (!stopped && frames.hasNext()) {
                long due = start + count * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                ObjectNode frame = frames.next();
                frame.put("time_us", System.currentTimeMillis() * 1000);
                log.append(frame);
                appended = ++count;
            }
        }, "jetstream-paced-feed");
        thread.setDaemon(true);
    }

    /** Starts appending {@code frames} at {@code perSecond} frames per second. */
    public static PacedFeed start(EventLog log, Iterator<ObjectNode> frames, double perSecond) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        PacedFeed feed = new PacedFeed(log, frames, perSecond);
        feed.thread.start();
        return feed;
    }

    public long appended() {
        return appended;
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
