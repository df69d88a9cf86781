package social.coves.ingestor.export;

import org.apache.iceberg.DataFile;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes and commits a batch while the next one is read: at most one batch is in flight, and {@link #awaitInFlight}
 * hands back the offsets it covered once every table has committed it (or rethrows what stopped it). A batch's files
 * are written on every core; then each table appends its files in a snapshot of its own, side by side.
 */
final class BackgroundCommits implements AutoCloseable {

    private final ExportFaults faults;
    private final ExportTimings timings;
    private final ExecutorService committer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("export-commit").daemon().factory());
    private final ExecutorService workers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().name("export-files-", 0).daemon().factory());
    // our own threads for manifest work: Iceberg's shared pool stops at JVM shutdown, before a SIGTERM'd run has committed
    private final ExecutorService manifestWork = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("export-manifests-", 0).daemon().factory());
    private Future<Map<TopicPartition, Long>> inFlight;

    BackgroundCommits(ExportFaults faults, ExportTimings timings) {
        this.faults = faults;
        this.timings = timings;
    }

    /** Takes the due tables' rows (on the reading thread) and starts writing and committing them up to {@code readUpTo}. */
    void start(Map<String, TableBatch> tables, Map<TopicPartition, Long> readUpTo, CommentDepths depths, int checkpointEvery,
               boolean last) {
        if (inFlight != null) {
            throw new IllegalStateException("a batch is still in flight");
        }
        Map<String, Integer> depthOf = depths.resolve(tables.get("comments").rows());
        Map<TableBatch, List<ExportRow>> due = new LinkedHashMap<>();
        for (TableBatch batch : tables.values()) {
            if (batch.due(checkpointEvery, last)) {
                due.put(batch, batch.takeRows());
            }
        }
        Map<TopicPartition, Long> upTo = Map.copyOf(new HashMap<>(readUpTo));
        inFlight = committer.submit(() -> {
            writeAndCommit(due, depthOf, upTo);
            return upTo;
        });
    }

    /** Waits for the batch in flight; returns the offsets it covered, or null when none was in flight. */
    Map<TopicPartition, Long> awaitInFlight() throws Exception {
        if (inFlight == null) {
            return null;
        }
        try {
            return result(inFlight);
        } finally {
            inFlight = null;
        }
    }

    private void writeAndCommit(Map<TableBatch, List<ExportRow>> due, Map<String, Integer> depths,
                                Map<TopicPartition, Long> upTo) throws Exception {
        long t = timings.start();
        Map<TableBatch, List<Future<DataFile>>> writes = new LinkedHashMap<>();
        for (Map.Entry<TableBatch, List<ExportRow>> entry : due.entrySet()) {
            writes.put(entry.getKey(), workers.invokeAll(entry.getKey().fileWrites(entry.getValue(), depths)));
        }
        Map<TableBatch, List<DataFile>> files = new LinkedHashMap<>();
        for (Map.Entry<TableBatch, List<Future<DataFile>>> entry : writes.entrySet()) {
            List<DataFile> written = new ArrayList<>();
            for (Future<DataFile> file : entry.getValue()) {
                written.add(result(file));
            }
            files.put(entry.getKey(), written);
        }
        timings.add(ExportTimings.Phase.WRITE, t);
        t = timings.start();
        List<Callable<Void>> commits = new ArrayList<>();
        files.forEach((batch, written) -> commits.add(() -> {
            batch.commit(due.get(batch).size(), written, upTo, faults, manifestWork);
            return null;
        }));
        for (Future<Void> commit : workers.invokeAll(commits)) {
            result(commit);
        }
        timings.add(ExportTimings.Phase.COMMIT, t);
    }

    private static <T> T result(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public void close() {
        committer.shutdownNow();
        workers.shutdownNow();
        manifestWork.shutdownNow();
    }
}
