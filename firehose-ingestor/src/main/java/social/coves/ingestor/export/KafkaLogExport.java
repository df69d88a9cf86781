package social.coves.ingestor.export;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the retained topics and appends every event to its Iceberg table (docs/analytics.md). Exactly once across
 * restarts: each table's snapshots record the offsets it covers; a run starts every partition at the lowest offset any
 * table needs and skips, per table, what that table already has. Kafka's committed offsets for {@code groupId} follow
 * the commits, so the usual lag tools show how far behind the export is; they are never read back.
 * One export runs per warehouse and namespace.
 */
public final class KafkaLogExport {

    private static final Logger LOG = Logger.getLogger(KafkaLogExport.class);

    /** What a run did. */
    public record Report(long eventsRead, Map<String, Long> rowsWritten, int commits, Duration took, Map<String, Duration> timeSpent) {
        public double eventsPerSecond() {
            return eventsRead / Math.max(1e-9, took.toNanos() / 1e9);
        }
    }

    private final ExportSettings settings;
    private final ExportFaults faults;
    private final ExportProgress progress;
    private volatile boolean stopping;

    public KafkaLogExport(ExportSettings settings, ExportFaults faults) {
        this(settings, faults, ExportProgress.NONE);
    }

    public KafkaLogExport(ExportSettings settings, ExportFaults faults, ExportProgress progress) {
        this.settings = settings;
        this.faults = faults;
        this.progress = progress;
    }

    /** Asks a following run to commit what it has read and return. */
    public void stop() {
        stopping = true;
    }

    public Report run() {
        long started = System.nanoTime();
        ExportTimings timings = new ExportTimings();
        try (IcebergWarehouse warehouse = IcebergWarehouse.open(settings);
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties());
             BackgroundCommits commitsInFlight = new BackgroundCommits(faults, progress, timings)) {
            Map<String, TableBatch> tables = new LinkedHashMap<>();
            for (ExportTable definition : ExportTables.ALL) {
                TableBatch batch = new TableBatch(definition, warehouse.table(definition));
                IcebergWarehouse.removeOrphans(batch.table());
                tables.put(definition.name(), batch);
            }
            CommentDepths depths = new CommentDepths();
            depths.load(tables.get("comments").table());

            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, Long> position = startPositions(consumer, partitions, tables.values());
            position.forEach(consumer::seek);
            Map<TopicPartition, Long> end = settings.follow() ? Map.of() : consumer.endOffsets(partitions);
            LOG.infof("export to %s: %d partitions from %s%s", settings.warehouse(), partitions.size(), position,
                    settings.follow() ? ", following" : " to " + end);

            long read = 0;
            int commits = 0;
            int inBatch = 0;
            long batchStarted = System.nanoTime();
            while (true) {
                boolean done = !settings.follow() && reached(position, end);
                boolean timeUp = settings.follow() && inBatch > 0
                        && System.nanoTime() - batchStarted >= settings.flushInterval().toNanos();
                if (inBatch >= settings.batchEvents() || done || timeUp || stopping) {
                    boolean last = done || stopping;
                    if (inBatch > 0 || last) {
                        // the previous batch finishes while this one was read; this one is written while the next is read
                        commitGroupOffsets(consumer, commitsInFlight.awaitInFlight());
                        commitsInFlight.start(tables, position, depths, settings.checkpointEvery(), last);
                        commits++;
                    }
                    inBatch = 0;
                    batchStarted = System.nanoTime();
                    if (last) {
                        commitGroupOffsets(consumer, commitsInFlight.awaitInFlight());
                        break;
                    }
                }
                commitGroupOffsets(consumer, commitsInFlight.finished());
                long t = timings.start();
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                timings.add(ExportTimings.Phase.POLL, t);
                t = timings.start();
                List<ExportRow> rows = rowsOf(records);
                timings.add(ExportTimings.Phase.PARSE, t);
                t = timings.start();
                for (ExportRow row : rows) {
                    tables.get(row.table().name()).add(row);
                    position.put(new TopicPartition(row.topic(), row.partition()), row.offset() + 1);
                }
                timings.add(ExportTimings.Phase.ROUTE, t);
                read += rows.size();
                inBatch += rows.size();
                progress.read(rows.size());
                if (records.isEmpty() && !settings.follow()) {
                    // compacted or transactional gaps: the position moves past them without a record
                    partitions.forEach(tp -> position.put(tp, Math.max(position.get(tp), consumer.position(tp))));
                }
            }
            Map<String, Long> rows = new LinkedHashMap<>();
            tables.forEach((name, batch) -> rows.put(name, batch.rowsCommitted()));
            Report report = new Report(read, rows, commits, Duration.ofNanos(System.nanoTime() - started), timings.summary());
            LOG.infof("export done: %d events read in %s (%.0f events/s), rows %s, time spent %s", read, report.took(),
                    report.eventsPerSecond(), rows, report.timeSpent());
            return report;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kafka's committed offsets follow the tables, so lag tools show how far behind the export is. */
    private static void commitGroupOffsets(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> committed) {
        if (committed != null) {
            consumer.commitSync(offsets(committed));
        }
    }

    private static boolean reached(Map<TopicPartition, Long> position, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> position.get(e.getKey()) >= e.getValue());
    }

    /** The lowest offset any table still needs in each partition; {@code from} where no table has been. */
    private Map<TopicPartition, Long> startPositions(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
                                                      Iterable<TableBatch> tables) {
        Map<TopicPartition, Long> configured = configuredStart(consumer, partitions);
        Map<TopicPartition, Long> start = new HashMap<>();
        Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> latest = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            long lowest = Long.MAX_VALUE;
            for (TableBatch table : tables) {
                Long written = table.written().of(tp);
                lowest = Math.min(lowest, written != null ? written : configured.get(tp));
            }
            // retention may have deleted what a table never saw: start at what the log still has, and never past its end
            start.put(tp, Math.min(Math.max(lowest, earliest.get(tp)), latest.get(tp)));
        }
        return start;
    }

    private Map<TopicPartition, Long> configuredStart(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        return switch (settings.from()) {
            case ExportSettings.StartFrom.Earliest e -> consumer.beginningOffsets(partitions);
            case ExportSettings.StartFrom.Latest l -> consumer.endOffsets(partitions);
            case ExportSettings.StartFrom.AtOffset o -> {
                Map<TopicPartition, Long> at = new HashMap<>();
                partitions.forEach(tp -> at.put(tp, o.offset()));
                yield at;
            }
            case ExportSettings.StartFrom.AtTime t -> {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(tp -> query.put(tp, t.time().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
                Map<TopicPartition, Long> at = new HashMap<>();
                partitions.forEach(tp -> at.put(tp, found.get(tp) != null ? found.get(tp).offset() : endOffsets.get(tp)));
                yield at;
            }
        };
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : settings.topics()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return partitions;
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Map<TopicPartition, Long> position) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        position.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        return offsets;
    }

    /** A poll's records as rows, parsed on every core (parsing is most of the work), in their order. */
    static List<ExportRow> rowsOf(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        return (list.size() < 256 ? list.stream() : list.parallelStream()).map(KafkaLogExport::rowOf).toList();
    }

    /** A value that decodes but still cannot become a row (a {@code timeUs} beyond any date, say) is a malformed one. */
    private static ExportRow rowOf(ConsumerRecord<String, byte[]> record) {
        LogEvent event = EnvelopeReader.read(record);
        try {
            return ExportRow.of(event);
        } catch (RuntimeException e) {
            return ExportRow.of(EnvelopeReader.malformed(record, "cannot export: " + e));
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.min(5000, settings.batchEvents())));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a lagging export whose next records retention deleted goes on from the oldest kept, never from the end
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a backlog is read in big fetches: fewer round trips for the reading thread, which also parses
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, String.valueOf(1 << 20));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
        p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, String.valueOf(1 << 20));
        return p;
    }
}
