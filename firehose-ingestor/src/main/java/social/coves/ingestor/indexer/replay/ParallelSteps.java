package social.coves.ingestor.indexer.replay;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Runs steps on up to {@code lanes} connections at once, each step in its own transaction and only after the steps it
 * waits for. A rebuild's end is a dozen statements that each keep one core busy (ANALYZE, recounts, index builds);
 * run one after another they leave the other cores idle.
 *
 * <p>Lanes take the steps in list order, so a step must come after the steps it waits for. The first failure stops
 * every lane before its next step and is rethrown.
 */
final class ParallelSteps {

    private static final Logger LOG = Logger.getLogger(ParallelSteps.class);

    /** A unit of work in one transaction; {@code after} names steps earlier in the list. */
    record Step(String name, Set<String> after, Function<SqlConnection, Uni<?>> work) {
    }

    private ParallelSteps() {
    }

    static void run(Pool pool, List<Step> steps, int lanes, String logPrefix) {
        Map<String, CompletableFuture<Void>> done = new ConcurrentHashMap<>();
        for (Step step : steps) {
            for (String before : step.after()) {
                if (!done.containsKey(before)) {
                    throw new IllegalArgumentException(step.name() + " waits for " + before + ", which is not an earlier step");
                }
            }
            done.put(step.name(), new CompletableFuture<>());
        }
        Queue<Step> queue = new ConcurrentLinkedQueue<>(steps);
        int n = Math.max(1, lanes);
        try (ExecutorService executor = Executors.newFixedThreadPool(n, r -> Thread.ofPlatform().name("rebuild-lane").daemon().unstarted(r))) {
            List<Future<?>> running = IntStream.range(0, n)
                    .<Future<?>>mapToObj(i -> executor.submit(() -> drain(pool, queue, done, logPrefix)))
                    .toList();
            for (Future<?> lane : running) {
                lane.get();
            }
        } catch (ExecutionException e) {
            // a lane that waited on the failed step fails with it, wrapped: rethrow the step's own failure
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while finishing", e);
        }
    }

    private static void drain(Pool pool, Queue<Step> queue, Map<String, CompletableFuture<Void>> done, String logPrefix) {
        Step step;
        while ((step = queue.poll()) != null) {
            CompletableFuture<Void> finished = done.get(step.name());
            try {
                step.after().forEach(before -> done.get(before).join());
                long started = System.nanoTime();
                Step current = step;
                pool.withTransaction(tx -> current.work().apply(tx)).await().indefinitely();
                LOG.infof("%s%s in %d ms", logPrefix, step.name(), (System.nanoTime() - started) / 1_000_000);
                finished.complete(null);
            } catch (RuntimeException e) {
                queue.clear();
                finished.completeExceptionally(e);
                throw e;
            }
        }
    }
}
