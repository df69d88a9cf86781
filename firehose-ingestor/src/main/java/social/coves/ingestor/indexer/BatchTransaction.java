package social.coves.ingestor.indexer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;
import social.coves.ingestor.tracing.IngestTracing;
import social.coves.ingestor.tracing.SpanScope;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one Kafka batch in one Postgres transaction together with the next offsets of its partitions.
 * Records below the stored offset (redelivered after a crash or rebalance) are skipped inside the same
 * transaction, so a batch is applied exactly once whatever Kafka redelivers. Envelopes that cannot be decoded are
 * kept in {@code appview.index_rejects}, and so is a record whose values the database refuses (found by applying the
 * batch in halves); every other database failure rolls the whole transaction back and is retried whole with backoff,
 * never skipped, and counted in {@code coves_indexer_batch_retries_total{reason}} ({@link #retryReason}). Each batch is
 * one span ("indexer batch"), linked to the producer spans of its records, with the transaction's SQL under it.
 */
@ApplicationScoped
public class BatchTransaction {

    private static final Logger LOG = Logger.getLogger(BatchTransaction.class);

    /** Applies one decoded envelope inside the batch transaction. */
    @FunctionalInterface
    public interface EnvelopeHandler {
        Uni<Void> apply(SqlConnection tx, EventEnvelope envelope);
    }

    /** Applies all decoded envelopes of a batch (in delivery order) inside the batch transaction. */
    @FunctionalInterface
    public interface BatchHandler {
        Uni<Void> apply(SqlConnection tx, List<EventEnvelope> envelopes);

        /** One envelope after the other, each statement waiting for the previous one. */
        static BatchHandler sequential(EnvelopeHandler handler) {
            return (tx, envelopes) -> Multi.createFrom().iterable(envelopes)
                    .onItem().transformToUniAndConcatenate(e -> handler.apply(tx, e))
                    .collect().last().replaceWithVoid();
        }
    }

    /**
     * Batches hold this lock shared; the count reconciliation takes it exclusively, so it recounts a state that no
     * in-flight batch is changing (see {@code CountReconciler}).
     */
    public static final String SHARED_COUNT_LOCK = "SELECT pg_advisory_xact_lock_shared(1131376229, 1)";
    public static final String EXCLUSIVE_COUNT_LOCK = "SELECT pg_advisory_xact_lock(1131376229, 1)";

    /** Batch attempts that failed and were retried since start (printed by the replay benchmark). */
    public static final java.util.concurrent.atomic.AtomicLong RETRIES = new java.util.concurrent.atomic.AtomicLong();

    /** Failed batch attempts, each retried whole, by {@link #retryReason reason}. */
    public static final String RETRIES_METER = "coves_indexer_batch_retries_total";

    /** Why a batch attempt failed, as the {@code reason} tag of {@link #RETRIES_METER}. */
    public static final List<String> RETRY_REASONS = List.of("deadlock", "serialization", "connection", "other");

    private final Pool pool;
    private final MeterRegistry metrics;
    private final IngestTracing tracing;

    public BatchTransaction(Pool pool, MeterRegistry metrics, IngestTracing tracing) {
        this.pool = pool;
        this.metrics = metrics;
        this.tracing = tracing;
        // every reason from the start at 0, so that a rate (and "no deadlock ever") can be read before the first retry
        RETRY_REASONS.forEach(reason -> metrics.counter(RETRIES_METER, "reason", reason));
    }

    public Uni<Void> apply(String groupId, ConsumerRecords<String, String> records, EnvelopeHandler handler) {
        return apply(groupId, records, BatchHandler.sequential(handler));
    }

    public Uni<Void> apply(String groupId, ConsumerRecords<String, String> records, BatchHandler handler) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<ConsumerRecord<String, String>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        Timer.Sample sample = Timer.start(metrics);
        Span span = tracing.startBatch(groupId, records);
        return SpanScope.within(span, () -> applySettingAsideUnstorable(groupId, all, handler))
                .onFailure().invoke(e -> {
                    String reason = retryReason(e);
                    RETRIES.incrementAndGet();
                    metrics.counter(RETRIES_METER, "reason", reason).increment();
                    span.recordException(e);
                    LOG.errorf(e, "indexer: batch of %d records failed (%s); retrying it whole", records.count(), reason);
                })
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30)).indefinitely()
                .invoke(() -> {
                    IngestTracing.end(span, null);
                    sample.stop(metrics.timer("coves_indexer_batch_seconds"));
                    metrics.counter("coves_indexer_events_total").increment(records.count());
                })
                .onCancellation().invoke(() -> IngestTracing.end(span, null));
    }

    /**
     * One transaction for the records; when the database refuses a value in them ({@link #unstorable}: a NUL character,
     * a value beyond an index's size...) the batch is applied in halves, down to the one record that cannot be stored,
     * which is set aside in {@code appview.index_rejects} with the database's reason. So one poison record never stalls
     * its partition, and every other record is applied as it would have been (the fold does not depend on batch
     * boundaries). Other failures (connections, deadlocks) fail the whole attempt, which is retried.
     */
    private Uni<Void> applySettingAsideUnstorable(String groupId, List<ConsumerRecord<String, String>> records, BatchHandler handler) {
        return inOneTransaction(groupId, records, handler)
                .onFailure(BatchTransaction::unstorable).recoverWithUni(e -> {
                    if (records.size() == 1) {
                        return setAside(groupId, records.getFirst(), e);
                    }
                    int half = records.size() / 2;
                    return applySettingAsideUnstorable(groupId, records.subList(0, half), handler)
                            .chain(() -> applySettingAsideUnstorable(groupId, records.subList(half, records.size()), handler));
                });
    }

    private Uni<Void> inOneTransaction(String groupId, List<ConsumerRecord<String, String>> records, BatchHandler handler) {
        return pool.withTransaction(tx -> tx.query(SHARED_COUNT_LOCK).execute()
                .chain(() -> storedOffsets(tx, groupId, records))
                .chain(stored -> applyAll(tx, records, stored, handler))
                .chain(() -> saveOffsets(tx, groupId, records)));
    }

    /** A record the database cannot store: kept with the reason (re-drive: docs/runbooks/index-rejects.md), then passed. */
    private Uni<Void> setAside(String groupId, ConsumerRecord<String, String> record, Throwable reason) {
        return pool.withTransaction(tx -> storedOffsets(tx, groupId, List.of(record)).chain(stored -> {
            if (record.offset() < stored.getOrDefault(key(record.topic(), record.partition()), 0L)) {
                return Uni.createFrom().voidItem();
            }
            return tx.preparedQuery(RECENTLY_SET_ASIDE).execute().chain(recent -> {
                long count = recent.iterator().next().getLong(0);
                if (count >= SET_ASIDE_LIMIT) {
                    // this many is a bug (a migration, a fold change), not bad data: stall and alert as any failure
                    return Uni.createFrom().failure(new IllegalStateException(count + " records set aside in the last 10 minutes: "
                            + "not setting aside more (" + reason.getMessage() + "); docs/runbooks/index-rejects.md"));
                }
                metrics.counter("coves_indexer_rejects_total").increment();
                LOG.errorf("indexer: %s/%d@%d cannot be stored, set aside in appview.index_rejects: %s", record.topic(),
                        record.partition(), record.offset(), reason.getMessage());
                return insertRejects(tx, List.of(record), List.of("cannot be stored: " + reason.getMessage()))
                        .chain(() -> saveOffsets(tx, groupId, List.of(record)));
            });
        }));
    }

    /** Past this many set-aside records in 10 minutes the indexer stops setting aside and retries (stalls) instead. */
    static final int SET_ASIDE_LIMIT = 100;
    private static final String RECENTLY_SET_ASIDE = "SELECT count(*) FROM appview.index_rejects "
            + "WHERE created_at > now() - interval '10 minutes' AND reason LIKE 'cannot be stored:%'";

    /**
     * The {@code reason} of a failed attempt: {@code deadlock} (SQLSTATE 40P01; the lock order, {@link BatchLockOrder},
     * rules it out between batches), {@code serialization} (40001), {@code connection} (the connection or the server went
     * away: class 08, 57P01–57P03, a closed connection or pool, an I/O error) or {@code other}.
     */
    static String retryReason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                if (state.equals("40P01")) {
                    return "deadlock";
                }
                if (state.equals("40001")) {
                    return "serialization";
                }
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return "connection";
                }
                return "other";
            }
            if (t instanceof io.vertx.sqlclient.ClosedConnectionException || t instanceof java.io.IOException) {
                return "connection";
            }
            if ((t instanceof io.vertx.core.VertxException || t instanceof io.vertx.core.impl.NoStackTraceThrowable)
                    && t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("closed")) {
                return "connection";   // "Pool closed", "Connection closed"
            }
        }
        return "other";
    }

    /** Data the database refuses whatever the retry: SQLSTATE class 22 (data exception), 23502 (not null), 54 (limits). */
    static boolean unstorable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return state.startsWith("22") || state.equals("23502") || state.startsWith("54");
            }
        }
        return false;
    }

    /** Decodes the records not yet applied, keeps the undecodable ones as rejects, hands the rest to the handler. */
    private Uni<Void> applyAll(SqlConnection tx, List<ConsumerRecord<String, String>> records, Map<String, Long> stored,
                               BatchHandler handler) {
        List<EventEnvelope> envelopes = new ArrayList<>(records.size());
        List<ConsumerRecord<String, String>> rejected = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            if (record.offset() < stored.getOrDefault(key(record.topic(), record.partition()), 0L)) {
                continue;
            }
            try {
                envelopes.add(EnvelopeCodec.decode(record.value() == null ? "" : record.value()));
            } catch (EnvelopeCodec.MalformedEnvelopeException e) {
                metrics.counter("coves_indexer_rejects_total").increment();
                LOG.warnf("indexer: %s/%d@%d is not an envelope: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
                rejected.add(record);
                reasons.add(e.getMessage());
            }
        }
        Uni<Void> rejects = rejected.isEmpty() ? Uni.createFrom().voidItem() : insertRejects(tx, rejected, reasons);
        return rejects.chain(() -> envelopes.isEmpty() ? Uni.createFrom().voidItem() : handler.apply(tx, envelopes));
    }

    private static Uni<Void> insertRejects(SqlConnection tx, List<ConsumerRecord<String, String>> rejected, List<String> reasons) {
        return tx.preparedQuery("INSERT INTO appview.index_rejects (topic, partition, \"offset\", reason, payload) "
                        + "SELECT * FROM unnest($1::text[], $2::int[], $3::int8[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(rejected.stream().map(ConsumerRecord::topic).toArray(String[]::new),
                        rejected.stream().map(ConsumerRecord::partition).toArray(Integer[]::new),
                        rejected.stream().map(ConsumerRecord::offset).toArray(Long[]::new),
                        reasons.toArray(String[]::new),
                        // a raw NUL in a value (never valid JSON; text cannot hold it) is kept as its escape
                        rejected.stream().map(r -> r.value() == null ? null : r.value().replace("\u0000", "\\u0000")).toArray(String[]::new)))
                .replaceWithVoid();
    }

    /**
     * The stored next offsets of the records' partitions, their rows locked until the transaction ends (lock (2) of
     * {@link BatchLockOrder}, in (topic, partition) order). A partition without a row gets one first (offset 0, replaced
     * by this batch's offsets before it commits): so two transactions folding the same partition, the old owner's and
     * the new one's after a rebalance, always meet on that row, and the second skips what the first applied.
     */
    private static Uni<Map<String, Long>> storedOffsets(SqlConnection tx, String groupId, List<ConsumerRecord<String, String>> records) {
        Map<String, ConsumerRecord<String, String>> partitions = new java.util.LinkedHashMap<>();
        records.forEach(r -> partitions.putIfAbsent(key(r.topic(), r.partition()), r));
        List<String> topics = partitions.values().stream().map(ConsumerRecord::topic).toList();
        List<Integer> numbers = partitions.values().stream().map(ConsumerRecord::partition).toList();
        Tuple args = Tuple.of(groupId, topics.toArray(String[]::new), numbers.toArray(Integer[]::new));
        return tx.preparedQuery("INSERT INTO appview.consumer_offsets (group_id, topic, partition, next_offset) "
                        + "SELECT $1, t, p, 0 FROM unnest($2::text[], $3::int[]) AS u(t, p) ORDER BY t, p "
                        + "ON CONFLICT (group_id, topic, partition) DO NOTHING")
                .execute(args)
                .chain(() -> tx.preparedQuery("SELECT topic, partition, next_offset FROM appview.consumer_offsets "
                        + "WHERE group_id = $1 AND (topic, partition) IN (SELECT * FROM unnest($2::text[], $3::int[])) "
                        + "ORDER BY topic, partition FOR UPDATE").execute(args))
                .map(rows -> {
                    Map<String, Long> stored = new HashMap<>();
                    for (Row row : rows) {
                        stored.put(key(row.getString("topic"), row.getInteger("partition")), row.getLong("next_offset"));
                    }
                    return stored;
                });
    }

    private static Uni<Void> saveOffsets(SqlConnection tx, String groupId, List<ConsumerRecord<String, String>> records) {
        Map<String, ConsumerRecord<String, String>> last = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            last.merge(key(r.topic(), r.partition()), r, (a, b) -> b.offset() > a.offset() ? b : a);
        }
        List<String> topics = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        List<Long> next = new ArrayList<>();
        last.values().forEach(r -> {
            topics.add(r.topic());
            partitions.add(r.partition());
            next.add(r.offset() + 1);
        });
        return tx.preparedQuery("INSERT INTO appview.consumer_offsets AS o (group_id, topic, partition, next_offset) "
                        + "SELECT $1, t, p, n FROM unnest($2::text[], $3::int[], $4::int8[]) AS u(t, p, n) "
                        + "ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = GREATEST(o.next_offset, EXCLUDED.next_offset), updated_at = now()")
                .execute(Tuple.of(groupId, topics.toArray(String[]::new), partitions.toArray(Integer[]::new), next.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    private static String key(String topic, int partition) {
        return topic + "/" + partition;
    }
}
