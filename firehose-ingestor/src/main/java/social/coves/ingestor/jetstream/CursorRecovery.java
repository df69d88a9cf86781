package social.coves.ingestor.jetstream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import social.coves.lexicon.envelope.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds where the jetstream role resumes after a restart: the last record of every partition of the three ingest
 * topics is read, and the most recently written one tells the acked prefix ({@link CursorHeaders}). Records are
 * only counted after a producer ack, so that cursor is safe to resume from (after a rewind margin; the indexer is
 * idempotent). Records written before those headers existed fall back to the largest {@code coves-cursor}.
 */
public final class CursorRecovery {

    /** The recovered position; {@code source} is the host whose seq space {@code cursor} belongs to (may be null). */
    public record Recovered(long cursor, long maxTimeUs, String source) {
    }

    private CursorRecovery() {
    }

    public static OptionalLong lastDurableCursor(Object bootstrapServers) {
        return recover(bootstrapServers).map(r -> OptionalLong.of(r.cursor())).orElse(OptionalLong.empty());
    }

    public static Optional<Recovered> recover(Object bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.REPO_EVENTS, Topics.IDENTITY_EVENTS, Topics.INGEST_REJECTS)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            List<TopicPartition> nonEmpty = partitions.stream().filter(tp -> ends.get(tp) > starts.get(tp)).toList();
            if (nonEmpty.isEmpty()) {
                return Optional.empty();
            }
            consumer.assign(nonEmpty);
            nonEmpty.forEach(tp -> consumer.seek(tp, ends.get(tp) - 1));
            ConsumerRecord<byte[], byte[]> newest = null;
            long largestCursor = -1;
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen < nonEmpty.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == ends.get(new TopicPartition(record.topic(), record.partition())) - 1) {
                        seen++;
                    }
                    largestCursor = Math.max(largestCursor, header(record.headers(), Topics.HEADER_CURSOR, -1));
                    if (header(record.headers(), CursorHeaders.ACKED_CURSOR, -1) > 0
                            && (newest == null || record.timestamp() > newest.timestamp())) {
                        newest = record;
                    }
                }
            }
            if (newest != null) {
                Header source = newest.headers().lastHeader(CursorHeaders.SOURCE);
                return Optional.of(new Recovered(header(newest.headers(), CursorHeaders.ACKED_CURSOR, -1),
                        header(newest.headers(), CursorHeaders.ACKED_TIME_US, 0),
                        source == null ? null : new String(source.value(), StandardCharsets.UTF_8)));
            }
            return largestCursor > 0
                    ? Optional.of(new Recovered(largestCursor, CursorKinds.isTime(largestCursor) ? largestCursor : 0, null))
                    : Optional.empty();
        }
    }

    private static long header(Headers headers, String name, long fallback) {
        Header header = headers.lastHeader(name);
        if (header == null) {
            return fallback;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
