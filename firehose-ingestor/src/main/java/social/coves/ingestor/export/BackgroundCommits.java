package social.coves.ingestor.export;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
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
 * are written on every core; each table appends its own files in a snapshot of its own as soon as they are written.
 */
final class BackgroundCommits implements AutoCloseable {

    private final ExportFaults faults;
    private final ExportProgress progress;
    private final ExportTimings timings;
    private final ExecutorService committer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("export-commit").daemon().factory());
    private final ExecutorService workers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().name("export-files-", 0).daemon().factory());
    /** One per table: each waits for its table's files, then commits them. */
    private final ExecutorService committers = Executors.newFixedThreadPool(ExportTables.ALL.size(),
            Thread.ofPlatform().name("export-table-commit-", 0).daemon().factory());
    // our own threads for manifest work: Iceberg's shared pool stops at JVM shutdown, before a SIGTERM'd run has committed
    private final ExecutorService manifestWork = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("export-manifests-", 0).daemon().factory());
    private Future<Map<TopicPartition, Long>> inFlight;

    BackgroundCommits(ExportFaults faults, ExportProgress progress, ExportTimings timings) {
        this.faults = faults;
        this.progress = progress;
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
            if (batch.due(checkpointEvery, last, readUpTo)) {
                due.put(batch, batch.takeRows());
            }
        }
        Map<TopicPartition, Long> upTo = Map.copyOf(new HashMap<>(readUpTo));
        inFlight = committer.submit(() -> {
            writeAndCommit(due, depthOf, upTo);
            return upTo;
        });
    }

    /**
     * The offsets of the batch in flight if it has finished (rethrowing what stopped it), null while it runs or when
     * none is in flight: a following export notices a failed commit at once, even when no event arrives.
     */
    Map<TopicPartition, Long> finished() throws Exception {
        return inFlight != null && inFlight.isDone() ? awaitInFlight() : null;
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

    /**
     * Every table's files are written on every core; a table commits as soon as its own files are written, so the small
     * tables' commits overlap the big ones' writing.
     */
    private void writeAndCommit(Map<TableBatch, List<ExportRow>> due, Map<String, Integer> depths,
                                Map<TopicPartition, Long> upTo) throws Exception {
        long t = timings.start();
        Map<TableBatch, List<Future<DataFile>>> writes = new LinkedHashMap<>();
        for (Map.Entry<TableBatch, List<ExportRow>> entry : due.entrySet()) {
            List<Future<DataFile>> files = new ArrayList<>();
            for (Callable<DataFile> write : entry.getKey().fileWrites(entry.getValue(), depths)) {
                files.add(workers.submit(write));
            }
            writes.put(entry.getKey(), files);
        }
        List<Future<Void>> commits = new ArrayList<>();
        for (Map.Entry<TableBatch, List<Future<DataFile>>> entry : writes.entrySet()) {
            TableBatch batch = entry.getKey();
            commits.add(committers.submit(() -> {
                List<DataFile> written = new ArrayList<>();
                long c = timings.start();
                try {
                    for (Future<DataFile> file : entry.getValue()) {
                        written.add(result(file));
                    }
                    batch.commit(due.get(batch).size(), written, upTo, faults, manifestWork);
                } catch (CommitStateUnknownException unknown) {
                    throw unknown;   // the snapshot may exist: its files must stay (the next start keeps what it references)
                } catch (Exception e) {
                    batch.discard(written);   // the folder keeps only committed rows (a crash leaves them to the next start)
                    throw e;
                }
                timings.add(ExportTimings.Phase.COMMIT, c);
                progress.committed(batch.table().name(), due.get(batch).size());
                return null;
            }));
        }
        Exception failed = null;
        for (Future<Void> commit : commits) {
            try {
                result(commit);
            } catch (Exception e) {
                failed = failed == null ? e : failed;
            }
        }
        timings.add(ExportTimings.Phase.WRITE, t);
        if (failed != null) {
            throw failed;
        }
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
        committers.shutdownNow();
        workers.shutdownNow();
        manifestWork.shutdownNow();
    }
}
