package social.coves.api.admission;

import java.util.ArrayDeque;

/**
 * At most {@code maxRunning} tasks at a time, the others started in the order they arrived as running ones finish,
 * at most {@code maxWaiting} of them waiting. Thread-safe; a task is started on the thread that admits it (the caller
 * of {@link #offer} or of {@link #finished}), so a task should only hand itself over to where it runs.
 */
final class ArrivalOrderQueue {

    enum Offer { STARTED, WAITING, REFUSED }

    private final int maxRunning;
    private final int maxWaiting;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    ArrivalOrderQueue(int maxRunning, int maxWaiting) {
        if (maxRunning < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("maxRunning must be at least 1 and maxWaiting at least 0");
        }
        this.maxRunning = maxRunning;
        this.maxWaiting = maxWaiting;
    }

    /** Starts the task now if a place is free, else queues it behind the earlier ones, else refuses it. */
    Offer offer(Runnable task) {
        synchronized (this) {
            if (running >= maxRunning) {
                if (waiting.size() >= maxWaiting) {
                    return Offer.REFUSED;
                }
                waiting.addLast(task);
                return Offer.WAITING;
            }
            running++;
        }
        task.run();
        return Offer.STARTED;
    }

    /** A started task is done: its place goes to the one that has waited longest. Call exactly once per start. */
    void finished() {
        Runnable next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    synchronized int running() {
        return running;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
