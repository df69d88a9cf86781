package social.coves.ingestor.indexer.identity;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How the indexer's identity checks run, outside the batch transactions: a round every {@code interval} on one
 * thread, up to {@code batchSize} due rows per round, at most {@code perSecond} look-ups per pod, and after a failed
 * attempt a back-off from {@code retryMin}, doubling, up to {@code retryMax}. A claimed row's lease covers a whole
 * round twice, so a row claimed by a pod that dies comes back by itself.
 */
public final class VerificationRounds {

    private static final Logger LOG = Logger.getLogger(VerificationRounds.class);

    /** One check of one claimed row. */
    @FunctionalInterface
    public interface Check<T> {
        void run(T due) throws InterruptedException;
    }

    private final Duration interval;
    private final int batchSize;
    private final long pauseNanos;
    private final Duration retryMin;
    private final Duration retryMax;
    private final Duration lease;
    private ScheduledExecutorService scheduler;

    public VerificationRounds(Duration interval, int batchSize, double perSecond, Duration timeout, Duration retryMin, Duration retryMax) {
        this.interval = interval;
        this.batchSize = batchSize;
        this.pauseNanos = (long) (1e9 / perSecond);
        this.retryMin = retryMin;
        this.retryMax = retryMax;
        this.lease = timeout.multipliedBy(2L * batchSize).plusNanos(pauseNanos * batchSize).plusMinutes(1);
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration lease() {
        return lease;
    }

    /** Runs {@code round} every interval on a thread named {@code name} until {@link #stop()}. */
    public void start(String name, RoundBody round) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name(name).daemon().unstarted(r));
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                round.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warnf("indexer: %s round failed: %s", name, e.getMessage());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A round of a job. */
    @FunctionalInterface
    public interface RoundBody {
        int run() throws InterruptedException;
    }

    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Checks each claimed row, at most {@code perSecond} per second; answers how many. */
    public <T> int paced(List<T> due, Check<T> check) throws InterruptedException {
        long next = System.nanoTime();
        for (T row : due) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next = System.nanoTime() + pauseNanos;
            check.run(row);
        }
        return due.size();
    }

    /** retry-min, doubling per failed attempt, capped at retry-max. */
    public Duration backOff(int attempts) {
        Duration delay = retryMin.multipliedBy(1L << Math.min(attempts, 20));
        return delay.compareTo(retryMax) > 0 ? retryMax : delay;
    }
}
