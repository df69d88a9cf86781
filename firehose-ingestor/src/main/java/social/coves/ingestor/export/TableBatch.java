package social.coves.ingestor.export;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * One exported table during a run: the offsets its last snapshot recorded (events below them are already in it and are
 * skipped), and the rows of the batch being read. A commit writes them as zstd Parquet files (one or more per day,
 * written in parallel) and appends those files in one snapshot that records the new offsets.
 */
final class TableBatch {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TableBatch.class);

    static final String IN_PROGRESS = ".inprogress";
    private static final int MIN_ROWS_PER_FILE = 20_000;

    private final ExportTable definition;
    private final Table table;
    private volatile LogPositions written;   // read by the reading thread, advanced by the committing one
    private final List<ExportRow> rows = new ArrayList<>();
    private volatile long rowsCommitted;
    private int commitsSinceLast;

    TableBatch(ExportTable definition, Table table) {
        this.definition = definition;
        this.table = table;
        this.written = recordedPositions(table);
    }

    /**
     * The offsets of the newest snapshot that recorded them: another engine's compaction or delete makes snapshots
     * without them, and the table still holds what the export's last snapshot covered.
     */
    static LogPositions recordedPositions(Table table) {
        for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            String recorded = s.summary().get(LogPositions.SUMMARY_KEY);
            if (recorded != null) {
                return LogPositions.decode(recorded);
            }
        }
        return LogPositions.none();
    }

    Table table() {
        return table;
    }

    /** The offsets this table covers (from its last snapshot, then from this run's commits). */
    LogPositions written() {
        return written;
    }

    /** Adds the row unless an earlier run already wrote it. */
    void add(ExportRow row) {
        Long done = written.of(new TopicPartition(row.topic(), row.partition()));
        if (done == null || row.offset() >= done) {
            rows.add(row);
        }
    }

    List<ExportRow> rows() {
        return rows;
    }

    /** Hands the batch's rows over for writing; the table starts collecting the next batch. */
    List<ExportRow> takeRows() {
        List<ExportRow> taken = new ArrayList<>(rows);
        rows.clear();
        commitsSinceLast = 0;
        return taken;
    }

    long rowsCommitted() {
        return rowsCommitted;
    }

    /**
     * True when this batch must be committed: it has rows; or the table's offsets are behind what has been read and
     * this is the run's last commit, the table has never recorded offsets, or they have lagged for long enough (a
     * restart starts every partition at the lowest offset any table recorded). A table that is up to date gets no
     * empty snapshot, so a re-run with nothing new leaves every table as it was.
     */
    boolean due(int checkpointEvery, boolean last, Map<TopicPartition, Long> readUpTo) {
        if (!rows.isEmpty()) {
            return true;
        }
        boolean behind = readUpTo.entrySet().stream()
                .anyMatch(e -> written.of(e.getKey()) == null || written.of(e.getKey()) < e.getValue());
        return behind && (last || written.next().isEmpty() || ++commitsSinceLast >= checkpointEvery);
    }

    /**
     * Adds the columns the rows' newer fields need, then returns one task per file to write: the rows of one day, split
     * in as many files as there are cores (at least {@value #MIN_ROWS_PER_FILE} rows each). {@code depths} fills the
     * comments' depth column.
     */
    List<Callable<DataFile>> fileWrites(List<ExportRow> rows, Map<String, Integer> depths) {
        Map<String, Type> newColumns = new LinkedHashMap<>();
        rows.forEach(row -> row.extras().values().forEach(extra -> newColumns.putIfAbsent(extra.column(), extra.type())));
        Schema schema = IcebergWarehouse.evolve(table, newColumns);
        Map<LocalDate, List<ExportRow>> byDay = new LinkedHashMap<>();
        rows.forEach(row -> byDay.computeIfAbsent(row.day(), d -> new ArrayList<>()).add(row));
        // a big table's day is split so that every core writes a part (the batch's commit waits for its slowest file)
        int perFile = Math.max(MIN_ROWS_PER_FILE, -Math.floorDiv(-rows.size(), Runtime.getRuntime().availableProcessors()));
        List<Callable<DataFile>> tasks = new ArrayList<>();
        for (List<ExportRow> day : byDay.values()) {
            for (int from = 0; from < day.size(); from += perFile) {
                List<ExportRow> chunk = day.subList(from, Math.min(day.size(), from + perFile));
                tasks.add(() -> writeFile(schema, positions(schema), chunk, depths));
            }
        }
        return tasks;
    }

    /** Appends the written files in one snapshot that records {@code readUpTo} (every partition read so far). */
    void commit(int rowCount, List<DataFile> files, Map<TopicPartition, Long> readUpTo, ExportFaults faults,
                ExecutorService manifestWork) {
        LogPositions covered = written.max(readUpTo);
        faults.beforeCommit(definition.name());
        // our own threads: Iceberg's shared pool stops at JVM shutdown, before a SIGTERM'd run has committed its last batch
        AppendFiles append = table.newAppend().scanManifestsWith(manifestWork).writeManifestsWith(manifestWork, 2);
        files.forEach(append::appendFile);
        append.set(LogPositions.SUMMARY_KEY, covered.encode());
        append.commit();
        written = covered;
        rowsCommitted += rowCount;
    }

    /** Where each of the definition's columns sits in the table's schema (by name: a table may be older than this code). */
    private int[] positions(Schema schema) {
        List<org.apache.iceberg.types.Types.NestedField> fields = schema.columns();
        int[] positions = new int[definition.columns().size()];
        for (int i = 0; i < positions.length; i++) {
            String name = definition.columns().get(i).name();
            positions[i] = -1;
            for (int j = 0; j < fields.size(); j++) {
                if (fields.get(j).name().equals(name)) {
                    positions[i] = j;
                }
            }
        }
        return positions;
    }

    /** Deletes files of a commit that failed (best effort: what stays is removed at the next start). */
    void discard(List<DataFile> files) {
        for (DataFile file : files) {
            try {
                table.io().deleteFile(file.location());
            } catch (RuntimeException e) {
                LOG.warnf("could not remove %s of a failed commit (the next start removes it): %s", file.location(), e.toString());
            }
        }
    }

    private DataFile writeFile(Schema schema, int[] positions, List<ExportRow> chunk, Map<String, Integer> depths) throws IOException {
        InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
        List<Record> records = new ArrayList<>(chunk.size());
        for (ExportRow row : chunk) {
            records.add(toRecord(schema, positions, row, depths));
        }
        PartitionKey partition = new PartitionKey(table.spec(), schema);
        partition.partition(wrapper.wrap(records.getFirst()));
        DataWriter<Record> writer = newWriter(schema, partition);
        try (writer) {
            records.forEach(writer::write);
        }
        return published(writer.toDataFile());
    }

    private Record toRecord(Schema schema, int[] positions, ExportRow row, Map<String, Integer> depths) {
        GenericRecord record = GenericRecord.create(schema);
        Object[] values = row.values();
        for (int i = 0; i < values.length; i++) {
            if (positions[i] >= 0) {
                record.set(positions[i], values[i]);
            }
        }
        if (row.comment() != null) {
            record.setField(ExportTables.DEPTH, depths.get(row.comment().uri()));
        }
        for (ExtraFields.Extra value : row.extras().values()) {
            var field = schema.findField(value.column());
            if (field != null && field.type().equals(value.type())) {   // a later value of another JSON type stays NULL
                record.setField(value.column(), value.value());
            }
        }
        return record;
    }

    /**
     * Moves a finished file to its final name, just before the commit: while it is written its name ends in
     * {@value #IN_PROGRESS}, so {@code data/**}{@code /*.parquet} never matches a half-written file.
     */
    private DataFile published(DataFile written) throws IOException {
        String location = written.location();
        String finalLocation = location.substring(0, location.length() - IN_PROGRESS.length());
        org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(location);
        org.apache.hadoop.fs.FileSystem fs = from.getFileSystem(((org.apache.iceberg.hadoop.HadoopFileIO) table.io()).conf());
        if (!fs.rename(from, new org.apache.hadoop.fs.Path(finalLocation))) {
            throw new IOException("cannot rename " + location + " to " + finalLocation);
        }
        return DataFiles.builder(table.spec()).copy(written).withPath(finalLocation).build();
    }

    private DataWriter<Record> newWriter(Schema schema, PartitionKey partition) throws IOException {
        String file = "part-" + UUID.randomUUID() + ".parquet" + IN_PROGRESS;
        return Parquet.writeData(table.io().newOutputFile(table.locationProvider().newDataLocation(table.spec(), partition, file)))
                .schema(schema)
                .setAll(table.properties())
                .metricsConfig(MetricsConfig.forTable(table))
                .createWriterFunc(GenericParquetWriter::create)
                .withSpec(table.spec())
                .withPartition(partition)
                .overwrite()
                .build();
    }
}
