package social.coves.localstack.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import social.coves.localstack.LaunchArgs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How fast records were written to some topics, from the records' own timestamps (CreateTime: when the producer
 * accepted each record), so a benchmark needs no scraping while it runs — scrapes of a saturated process answer late
 * and make the rate up. Reads every record of the topics once, sorts the timestamps and prints
 * {@code records=N measured=M seconds=S records/s=R from_ms=T0 to_ms=T1} over the records after the first {@code --skip} fraction
 * (JIT warm-up and connection set-up left out).
 *
 * <pre>--bootstrap=localhost:9092 --topics=a,b,c [--skip=0.2]</pre>
 */
public final class ProduceRate {

    public static void main(String[] argv) {
        LaunchArgs args = LaunchArgs.parse(argv);
        List<String> topics = List.of(args.string("topics", "").split(","));
        double skip = Double.parseDouble(args.string("skip", "0.2"));
        long[] stamps = timestamps(args.string("bootstrap", "localhost:9092"), topics);
        Arrays.sort(stamps);
        int from = (int) Math.min(stamps.length - 1L, Math.round(stamps.length * skip));
        long measured = stamps.length - from - 1L;
        double seconds = stamps.length < 2 ? 0 : (stamps[stamps.length - 1] - stamps[from]) / 1000.0;
        System.out.printf("records=%d measured=%d seconds=%.2f records/s=%.0f from_ms=%d to_ms=%d%n", stamps.length, measured,
                seconds, seconds > 0 ? measured / seconds : 0, stamps.length == 0 ? 0 : stamps[from],
                stamps.length == 0 ? 0 : stamps[stamps.length - 1]);
    }

    static long[] timestamps(String bootstrap, List<String> topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            long[] out = new long[(int) total];
            int n = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (n < out.length) {
                        out[n++] = r.timestamp();
                    }
                }
            }
            return Arrays.copyOf(out, n);
        }
    }
}
