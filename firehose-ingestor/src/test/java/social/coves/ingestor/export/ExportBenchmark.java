package social.coves.ingestor.export;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.synthetic.Envelopes;
import social.coves.localstack.synthetic.NetworkShape;
import social.coves.localstack.synthetic.SyntheticNetwork;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Export throughput next to its ceiling, in the same run: a generated network of {@code coves.bench.export-events}
 * events (Zipf communities, threads, vote flips, churn, handle changes) produced to 6 + 1 partitions as the ingestor
 * would; then (1) a plain consumer reads both topics to the end without writing anything (the ceiling), (2) the export
 * writes them all to Iceberg from a fresh warehouse (catalog set-up and table creation included), (3) the ceiling again.
 * Rows are checked against the history. {@code ./bench.sh export}; figures in docs/benchmarks.md.
 */
@EnabledIfSystemProperty(named = "coves.bench.export-events", matches = "\\d+")
class ExportBenchmark {

    @Test
    void exportNextToItsReadCeiling() throws Exception {
        int events = Integer.getInteger("coves.bench.export-events");
        ExportFixture f = new ExportFixture(6, 1);
        long produced = produce(f, events);

        double ceiling1 = readOnly(f, false);
        double decoded1 = readOnly(f, true);
        KafkaLogExport.Report report = new KafkaLogExport(f.settings("bench", Integer.getInteger("coves.bench.export-batch", 100_000)),
                ExportFaults.NONE).run();
        double ceiling2 = readOnly(f, false);
        double decoded2 = readOnly(f, true);
        assertThat(report.eventsRead()).isEqualTo(produced);
        long rows = report.rowsWritten().values().stream().mapToLong(Long::longValue).sum();
        assertThat(rows).isEqualTo(produced);

        double ceiling = (ceiling1 + ceiling2) / 2;
        double decoded = (decoded1 + decoded2) / 2;
        List<String> lines = List.of(
                "| run | events | seconds | events/s |",
                "|---|---|---|---|",
                String.format("| read only (ceiling), before | %,d | %.2f | %,.0f |", produced, produced / ceiling1, ceiling1),
                String.format("| read and decode into rows, nothing written, before | %,d | %.2f | %,.0f |", produced, produced / decoded1, decoded1),
                String.format("| export to Iceberg (zstd Parquet, JDBC catalog) | %,d | %.2f | %,.0f |", report.eventsRead(),
                        report.took().toNanos() / 1e9, report.eventsPerSecond()),
                String.format("| read only (ceiling), after | %,d | %.2f | %,.0f |", produced, produced / ceiling2, ceiling2),
                String.format("| read and decode into rows, nothing written, after | %,d | %.2f | %,.0f |", produced, produced / decoded2, decoded2),
                String.format("export/ceiling ratio: %.2f (ceiling = mean of the two reads); export/(read and decode): %.2f; commits: %d; "
                        + "rows per table: %s", report.eventsPerSecond() / ceiling, report.eventsPerSecond() / decoded, report.commits(),
                        report.rowsWritten()),
                "export time by phase (poll/parse/route: the reading thread, parse on every core; write: background batches, wall; commit: table commits, summed): " + report.timeSpent());
        lines.forEach(System.out::println);
        Files.createDirectories(Path.of("target", "bench"));
        Files.write(Path.of("target", "bench", "export.txt"), lines);
    }

    private static long produce(ExportFixture f, int events) {
        SyntheticNetwork network = new SyntheticNetwork(NetworkShape.forEvents(events), 7, Instant.parse("2026-01-01T00:00:00Z"));
        long n = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, f.bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new StringSerializer())) {
            while (network.hasNext()) {
                EventEnvelope e = Envelopes.of(network.next(), n + 1, "jetstream.bench", Instant.now());
                producer.send(new ProducerRecord<>(e.commit() != null ? f.repoTopic : f.identityTopic, e.did(), EnvelopeCodec.encodeToString(e)));
                n++;
            }
            producer.flush();
        }
        return n;
    }

    /**
     * Events per second of a consumer that reads both topics to their end and keeps nothing; with {@code decode}, it
     * also turns every value into its row as the export does (on every core), and writes nothing.
     */
    private static double readOnly(ExportFixture f, boolean decode) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, f.bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());   // as the export reads
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        long started = System.nanoTime();
        long read = 0;
        long bytes = 0;
        long rows = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(f.repoTopic, f.identityTopic)) {
                consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (decode) {
                    rows += KafkaLogExport.rowsOf(records).size();
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    read++;
                    bytes += r.value().length;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("read%s: %,d events, %,d MB of values, %,d rows in %.2f s%n", decode ? " and decode" : " only", read,
                bytes >> 20, rows, seconds);
        return read / seconds;
    }
}
