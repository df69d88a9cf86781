package social.coves.ingestor.export;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Next Kafka offsets per topic-partition: what an exported table covers. Every snapshot the export commits carries
 * them in its summary under {@link #SUMMARY_KEY} ({@code coves.repo-events.v1:0=1234,...}): every event of a partition
 * below its offset that belongs to the table is in the table, and none at or above it.
 */
public record LogPositions(Map<TopicPartition, Long> next) {

    public static final String SUMMARY_KEY = "coves.kafka-offsets";

    public LogPositions {
        next = Map.copyOf(next);
    }

    public static LogPositions none() {
        return new LogPositions(Map.of());
    }

    /** The offset this table has reached in {@code partition}, or null when it has never recorded one there. */
    public Long of(TopicPartition partition) {
        return next.get(partition);
    }

    public LogPositions max(Map<TopicPartition, Long> other) {
        Map<TopicPartition, Long> merged = new java.util.HashMap<>(next);
        other.forEach((tp, offset) -> merged.merge(tp, offset, Math::max));
        return new LogPositions(merged);
    }

    public String encode() {
        Map<String, Long> sorted = new TreeMap<>();
        next.forEach((tp, offset) -> sorted.put(tp.topic() + ":" + tp.partition(), offset));
        return sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    public static LogPositions decode(String summary) {
        if (summary == null || summary.isBlank()) {
            return none();
        }
        Map<TopicPartition, Long> next = new java.util.HashMap<>();
        for (String entry : summary.split(",")) {
            int colon = entry.lastIndexOf(':');
            int eq = entry.lastIndexOf('=');
            if (colon < 0 || eq < colon) {
                throw new IllegalArgumentException("malformed " + SUMMARY_KEY + " entry: " + entry);
            }
            next.put(new TopicPartition(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1, eq))),
                    Long.parseLong(entry.substring(eq + 1)));
        }
        return new LogPositions(next);
    }
}
