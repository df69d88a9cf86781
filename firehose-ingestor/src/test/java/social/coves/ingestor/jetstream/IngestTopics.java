package social.coves.ingestor.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import social.coves.lexicon.envelope.Topics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the ingest topics from their beginning to the current end, for set comparisons in tests. */
final class IngestTopics {

    record Reject(String key, String reason, byte[] value) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IngestTopics() {
    }

    /** Natural keys {@code did rev collection rkey} of every commit in the repo-events topic. */
    static Set<String> commitKeys(String bootstrap) {
        Set<String> keys = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, Topics.REPO_EVENTS)) {
            keys.add(commitKey(json(r.value())));
        }
        return keys;
    }

    static List<JsonNode> envelopes(String bootstrap, String topic) {
        return readAll(bootstrap, topic).stream().map(r -> json(r.value())).toList();
    }

    static List<Reject> rejects(String bootstrap) {
        List<Reject> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, Topics.INGEST_REJECTS)) {
            Header reason = r.headers().lastHeader(Topics.HEADER_REJECT_REASON);
            out.add(new Reject(r.key(), reason == null ? null : new String(reason.value(), StandardCharsets.UTF_8), r.value()));
        }
        return out;
    }

    /** The same key for a Jetstream event and for the envelope made from it. */
    static String commitKey(JsonNode eventOrEnvelope) {
        JsonNode c = eventOrEnvelope.path("commit");
        return eventOrEnvelope.path("did").asText() + " " + c.path("rev").asText() + " " + c.path("collection").asText()
                + " " + c.path("rkey").asText();
    }

    private static JsonNode json(byte[] value) {
        try {
            return MAPPER.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
