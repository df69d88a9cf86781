package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One indexer replica for the tests: a Kafka consumer in a consumer group, seeking each assigned partition to the offset
 * stored in Postgres (as {@code PostgresOffsetSeeker} does for the live role), each batch applied through
 * {@link BatchTransaction} on its own connection pool. {@link #killMidBatch} ends it the way a crashed pod ends: inside
 * a batch transaction (every statement of its fold executed, not committed), its database connection is dropped and its
 * consumer leaves without committing anything.
 */
final class GroupIndexer implements AutoCloseable {

    private final String name;
    private final Pool pool;
    private final BatchTransaction batches;
    private final BatchTransaction.BatchHandler handler;
    private final String group;
    private final Thread thread;
    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private final AtomicInteger applied = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private final CompletableFuture<Void> stop = new CompletableFuture<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile int killAtBatch = -1;
    private final CompletableFuture<Void> midBatch = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile boolean killed;

    GroupIndexer(String name, String bootstrap, String topic, String group, int maxPollRecords, Pool pool, BatchTransaction batches,
                 BatchTransaction.BatchHandler fold) {
        this.name = name;
        this.pool = pool;
        this.batches = batches;
        this.group = group;
        this.topic = topic;
        this.handler = (tx, envelopes) -> fold.apply(tx, envelopes).chain(() -> {
            if (started.incrementAndGet() == killAtBatch) {
                midBatch.complete(null);
                return Uni.createFrom().nothing();   // the transaction stays open, holding its locks, until it is killed
            }
            return Uni.createFrom().voidItem();
        });
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + name,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                // small fetches per partition: each poll mixes partitions, as the live indexer sees them
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024),
                new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(this::run, "group-indexer-" + name);
        this.thread.setDaemon(true);
    }

    GroupIndexer start() {
        thread.start();
        return this;
    }

    /** Its {@code n}-th batch (counted from 1) will be the one it dies in. */
    GroupIndexer dieInBatch(int n) {
        killAtBatch = n;
        return this;
    }

    boolean isMidBatch() {
        return midBatch.isDone();
    }

    int appliedBatches() {
        return applied.get();
    }

    Set<TopicPartition> assignment() {
        return Set.copyOf(assigned);
    }

    Throwable failure() {
        return failure.get();
    }

    String name() {
        return name;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition tp : partitions) {
                        // Postgres decides where to resume, as PostgresOffsetSeeker does for the live role
                        var rows = pool.preparedQuery("SELECT next_offset FROM appview.consumer_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3")
                                .execute(Tuple.of(group, tp.topic(), tp.partition())).await().atMost(Duration.ofSeconds(60));
                        if (rows.size() > 0) {
                            Row row = rows.iterator().next();
                            consumer.seek(tp, row.getLong(0));
                        } else {
                            consumer.seekToBeginning(List.of(tp));
                        }
                    }
                    assigned.addAll(partitions);
                }
            });
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                CompletableFuture<Void> batch = batches.apply(group, records, handler).subscribeAsCompletionStage();
                CompletableFuture.anyOf(batch, stop).join();
                if (!batch.isDone()) {
                    return;   // killed mid-batch: leave without finishing it
                }
                batch.join();
                applied.incrementAndGet();
            }
        } catch (RuntimeException | Error e) {
            if (running) {
                failure.set(e);
            }
        } finally {
            assigned.clear();
            // killed: gone at once; stopped: leave the group properly
            consumer.close(killed ? Duration.ZERO : Duration.ofSeconds(10));
        }
    }

    /**
     * Waits until it is inside the batch chosen with {@link #dieInBatch}, then kills it there: its connections are
     * closed (the server rolls the open transaction back and frees its locks) and its consumer leaves the group.
     */
    void killMidBatch(Runnable dropConnections) {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).until(this::isMidBatch);
        killed = true;
        running = false;
        dropConnections.run();
        pool.close().await().atMost(Duration.ofSeconds(30));
        stop.complete(null);
        join();
    }

    private void join() {
        try {
            thread.join(Duration.ofMinutes(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException(name + " did not stop");
        }
    }

    /** Stops after the batch in flight (if any) and leaves the group. */
    @Override
    public void close() {
        running = false;
        join();
        if (!killed) {
            pool.close().await().atMost(Duration.ofSeconds(30));
        }
    }
}
