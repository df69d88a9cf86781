package social.coves.ingestor.jetstream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import social.coves.lexicon.envelope.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Finds the newest Jetstream cursor durably in Kafka: the {@code coves-cursor} header of the last record of every
 * partition of the three ingest topics. Records are only written after a producer ack, so that cursor is safe to
 * resume from (after a rewind margin; the indexer is idempotent).
 */
public final class CursorRecovery {

    private CursorRecovery() {
    }

    public static OptionalLong lastDurableCursor(Object bootstrapServers) {
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
            List<TopicPartition> nonEmpty = partitions.stream().filter(tp -> ends.get(tp) > 0).toList();
            if (nonEmpty.isEmpty()) {
                return OptionalLong.empty();
            }
            consumer.assign(nonEmpty);
            nonEmpty.forEach(tp -> consumer.seek(tp, ends.get(tp) - 1));
            long best = -1;
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen < nonEmpty.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == ends.get(new TopicPartition(record.topic(), record.partition())) - 1) {
                        seen++;
                    }
                    Header header = record.headers().lastHeader(Topics.HEADER_CURSOR);
                    if (header != null) {
                        best = Math.max(best, Long.parseLong(new String(header.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
            return best > 0 ? OptionalLong.of(best) : OptionalLong.empty();
        }
    }
}
