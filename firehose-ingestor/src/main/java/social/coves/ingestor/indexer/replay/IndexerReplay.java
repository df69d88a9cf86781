package social.coves.ingestor.indexer.replay;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import social.coves.ingestor.indexer.BatchTransaction;
import social.coves.ingestor.indexer.IdentityEventIndexer;
import social.coves.ingestor.indexer.RepoEventIndexer;
import social.coves.lexicon.envelope.Topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Folds a topic into the projections with a plain Kafka consumer (manual assignment, no consumer group), through the
 * same {@link BatchTransaction} and projections as the live indexer: resumes from the offsets stored in Postgres for
 * {@code groupId} (or the beginning) and stops at the end offsets seen when it started. Used by the replay check,
 * the crash tests (stop after N batches) and the throughput benchmark.
 */
@ApplicationScoped
public class IndexerReplay {

    /** What one run did. */
    public record Result(long events, long batches, Duration took) {
        public double eventsPerSecond() {
            return events / Math.max(1e-9, took.toNanos() / 1e9);
        }
    }

    private final Pool pool;
    private final BatchTransaction batches;
    private final RepoEventIndexer repo;
    private final IdentityEventIndexer identity;

    public IndexerReplay(Pool pool, BatchTransaction batches, RepoEventIndexer repo, IdentityEventIndexer identity) {
        this.pool = pool;
        this.batches = batches;
        this.repo = repo;
        this.identity = identity;
    }

    /**
     * Replays {@code topic} (repo or identity events) under {@code groupId}; {@code maxBatches} > 0 stops early, as a
     * crash between batches would.
     */
    public Result replay(String bootstrap, String topic, String groupId, int maxPollRecords, long maxBatches) {
        return replay(bootstrap, topic, groupId, maxPollRecords, maxBatches, 1);
    }

    /**
     * The same with {@code workers} consumers folding disjoint sets of partitions at once, each batch in its own
     * transaction on its own connection — what that many indexer replicas do. {@code maxBatches} counts per worker.
     */
    public Result replay(String bootstrap, String topic, String groupId, int maxPollRecords, long maxBatches, int workers) {
        BatchTransaction.BatchHandler handler = Topics.IDENTITY_EVENTS.equals(topic)
                ? identity.batchHandler() : repo::applyBatch;
        return replay(bootstrap, topic, groupId, maxPollRecords, maxBatches, workers, handler);
    }

    /** The same with an explicit batch handler (the rebuild folds repo events with its counters deferred). */
    public Result replay(String bootstrap, String topic, String groupId, int maxPollRecords, long maxBatches, int workers,
                         BatchTransaction.BatchHandler handler) {
        long started = System.nanoTime();
        List<TopicPartition> partitions;
        try (KafkaConsumer<String, String> probe = consumer(bootstrap, maxPollRecords)) {
            partitions = probe.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        }
        Map<TopicPartition, Long> stored = storedOffsets(groupId, topic);
        int n = Math.max(1, Math.min(workers, partitions.size()));
        List<CompletableFuture<long[]>> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(n)) {
            for (int w = 0; w < n; w++) {
                List<TopicPartition> mine = new ArrayList<>();
                for (int i = w; i < partitions.size(); i += n) {
                    mine.add(partitions.get(i));
                }
                runs.add(CompletableFuture.supplyAsync(
                        () -> fold(bootstrap, groupId, maxPollRecords, maxBatches, mine, stored, handler), threads));
            }
        }
        long events = 0;
        long batches = 0;
        for (CompletableFuture<long[]> run : runs) {
            events += run.join()[0];
            batches += run.join()[1];
        }
        return new Result(events, batches, Duration.ofNanos(System.nanoTime() - started));
    }

    /** One consumer over {@code partitions} until their end offsets at start; returns {events, batches}. */
    private long[] fold(String bootstrap, String groupId, int maxPollRecords, long maxBatches, List<TopicPartition> partitions,
                        Map<TopicPartition, Long> stored, BatchTransaction.BatchHandler handler) {
        long events = 0;
        long done = 0;
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, maxPollRecords)) {
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) {
                if (stored.containsKey(tp)) {
                    consumer.seek(tp, stored.get(tp));
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // The next batch is polled (and its records fetched) while the previous one is being applied; batches are
            // still applied one after the other, each in its own transaction with its offsets.
            CompletableFuture<Void> inflight = CompletableFuture.completedFuture(null);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                inflight.join();
                inflight = batches.apply(groupId, records, handler).subscribeAsCompletionStage();
                events += records.count();
                done++;
                if (maxBatches > 0 && done >= maxBatches) {
                    break;
                }
            }
            inflight.join();
        }
        return new long[]{events, done};
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, int maxPollRecords) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                // small fetches per partition: each poll then mixes all partitions, close to the order the events were
                // written in, instead of tens of thousands of one partition's events before the next one's (children
                // before their parents, which costs recounts and depth walks, and is not what the live indexer sees)
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024),
                new StringDeserializer(), new StringDeserializer());
    }

    private Map<TopicPartition, Long> storedOffsets(String groupId, String topic) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Row row : pool.preparedQuery("SELECT partition, next_offset FROM appview.consumer_offsets WHERE group_id = $1 AND topic = $2")
                .execute(Tuple.of(groupId, topic)).await().indefinitely()) {
            out.put(new TopicPartition(topic, row.getInteger(0)), row.getLong(1));
        }
        return out;
    }
}
