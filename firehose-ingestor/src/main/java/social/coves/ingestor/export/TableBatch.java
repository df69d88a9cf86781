package social.coves.ingestor.export;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
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
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One exported table during a run: the offsets its last snapshot recorded (events below them are already in it and are
 * skipped), and the rows of the batch being read. {@link #commit} writes them as one zstd Parquet file per day and
 * appends those files in one snapshot that records the new offsets.
 */
final class TableBatch {

    static final String IN_PROGRESS = ".inprogress";

    private final ExportTable definition;
    private final Table table;
    private LogPositions written;
    private final List<LogEvent> rows = new ArrayList<>();
    private final List<Map<String, ExtraFields.Extra>> extras = new ArrayList<>();
    private long rowsCommitted;
    private int commitsSinceLast;

    TableBatch(ExportTable definition, Table table) {
        this.definition = definition;
        this.table = table;
        this.written = table.currentSnapshot() == null ? LogPositions.none()
                : LogPositions.decode(table.currentSnapshot().summary().get(LogPositions.SUMMARY_KEY));
    }

    ExportTable definition() {
        return definition;
    }

    Table table() {
        return table;
    }

    /** The offsets this table covers (from its last snapshot, then from this run's commits). */
    LogPositions written() {
        return written;
    }

    /** Adds the event unless an earlier run already wrote it. */
    void add(LogEvent event) {
        Long done = written.of(new TopicPartition(event.topic(), event.partition()));
        if (done != null && event.offset() < done) {
            return;
        }
        rows.add(event);
        extras.add(event.tree() == null ? Map.of() : ExtraFields.of(event.tree(), definition));
    }

    int pending() {
        return rows.size();
    }

    long rowsCommitted() {
        return rowsCommitted;
    }

    /**
     * True when this batch must be committed: it has rows, the table has never recorded offsets, or they have lagged
     * for long enough (a restart starts every partition at the lowest offset any table recorded).
     */
    boolean due(int checkpointEvery, boolean last) {
        return !rows.isEmpty() || last || written.next().isEmpty() || ++commitsSinceLast >= checkpointEvery;
    }

    /**
     * Writes the batch's rows and commits them with {@code readUpTo} (every partition read so far). {@code depths}
     * fills the comments' depth column.
     */
    void commit(Map<TopicPartition, Long> readUpTo, Map<String, Integer> depths, ExportFaults faults,
                java.util.concurrent.ExecutorService manifestWork) {
        Map<String, Type> newColumns = new LinkedHashMap<>();
        extras.forEach(map -> map.values().forEach(extra -> newColumns.putIfAbsent(extra.column(), extra.type())));
        Schema schema = IcebergWarehouse.evolve(table, newColumns);
        List<DataFile> files = write(schema, depths);
        LogPositions covered = written.max(readUpTo);
        faults.beforeCommit(definition.name());
        // our own threads: Iceberg's shared pool stops at JVM shutdown, before a SIGTERM'd run has committed its last batch
        AppendFiles append = table.newAppend().scanManifestsWith(manifestWork);
        files.forEach(append::appendFile);
        append.set(LogPositions.SUMMARY_KEY, covered.encode());
        append.commit();
        written = covered;
        rowsCommitted += rows.size();
        rows.clear();
        extras.clear();
        commitsSinceLast = 0;
    }

    private List<DataFile> write(Schema schema, Map<String, Integer> depths) {
        Map<PartitionKey, DataWriter<Record>> writers = new HashMap<>();
        PartitionKey key = new PartitionKey(table.spec(), schema);
        InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
        try {
            for (int i = 0; i < rows.size(); i++) {
                Record record = toRecord(schema, rows.get(i), extras.get(i), depths);
                key.partition(wrapper.wrap(record));
                DataWriter<Record> writer = writers.get(key);
                if (writer == null) {
                    PartitionKey own = key.copy();
                    writer = newWriter(schema, own);
                    writers.put(own, writer);
                }
                writer.write(record);
            }
            List<DataFile> files = new ArrayList<>();
            for (DataWriter<Record> writer : writers.values()) {
                writer.close();
                files.add(published(writer.toDataFile()));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Record toRecord(Schema schema, LogEvent event, Map<String, ExtraFields.Extra> extra, Map<String, Integer> depths) {
        GenericRecord record = GenericRecord.create(schema);
        for (ExportColumn column : definition.columns()) {
            record.setField(column.name(), column.value().apply(event));
        }
        if (event.record() instanceof social.coves.lexicon.records.CommunityComment) {
            record.setField(ExportTables.DEPTH, depths.get(event.commit().uri(event.envelope().did())));
        }
        for (ExtraFields.Extra value : extra.values()) {
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
                .createWriterFunc(GenericParquetWriter::create)
                .withSpec(table.spec())
                .withPartition(partition)
                .overwrite()
                .build();
    }

    List<LogEvent> rows() {
        return rows;
    }
}
