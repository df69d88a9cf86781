package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import social.coves.ingestor.indexer.actors.FirstSight;
import social.coves.lexicon.envelope.EventEnvelope;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The indexer role for {@code coves.repo-events.v1}: each batch is folded into the projections in one transaction.
 * Collections without a projection still get their bookkeeping (rev, tombstones), so adding a projection later and
 * replaying the topic gives the same state as having had it from the start.
 */
@ApplicationScoped
public class RepoEventIndexer {

    private final BatchTransaction batches;
    private final Map<String, RecordProjection> projections;
    private final String groupId;
    private final BatchFold fold;
    private final BatchFold rebuildFold;

    @jakarta.inject.Inject
    public RepoEventIndexer(BatchTransaction batches, Instance<RecordProjection> projections,
                            @ConfigProperty(name = "mp.messaging.incoming.repo-events.group.id") String groupId) {
        this(batches, projections.stream().toList(), groupId);
    }

    /** Outside CDI (replay and benchmark commands). */
    public RepoEventIndexer(BatchTransaction batches, java.util.List<RecordProjection> projections, String groupId) {
        this.batches = batches;
        this.projections = projections.stream().collect(Collectors.toMap(RecordProjection::collection, Function.identity()));
        this.groupId = groupId;
        this.fold = new BatchFold(this.projections, BatchFold.Counters.MAINTAINED);
        this.rebuildFold = new BatchFold(this.projections, BatchFold.Counters.DEFERRED);
    }

    @Incoming("repo-events")
    public Uni<Void> index(ConsumerRecords<String, String> records) {
        return batches.apply(groupId, records, this::applyBatch);
    }

    /** Folds a batch of envelopes set-based (see {@link BatchFold}); same result as {@link #apply} one after the other. */
    public Uni<Void> applyBatch(SqlConnection tx, java.util.List<EventEnvelope> events) {
        return fold.apply(tx, events);
    }

    /**
     * The same fold without counter maintenance, for {@code ProjectionRebuild}: rows, ledger and offsets are exactly
     * those of {@link #applyBatch}, the parents' counters are left for the rebuild's recount at the end.
     */
    public Uni<Void> applyBatchCountsDeferred(SqlConnection tx, java.util.List<EventEnvelope> events) {
        return rebuildFold.apply(tx, events);
    }

    /**
     * Folds one envelope into the projections (inside the caller's batch transaction). The per-event reference path:
     * the live indexer and the replay use {@link #applyBatch}; the tests compare both.
     */
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        if (event.commit() == null) {
            return Uni.createFrom().voidItem();
        }
        return FirstSight.accounts(tx, java.util.List.of(event)).chain(() -> RecordLedger.advance(tx, event)).chain(outcome -> {
            RecordProjection projection = projections.get(event.commit().collection());
            if (projection == null) {
                return Uni.createFrom().voidItem();
            }
            return switch (outcome) {
                case APPLIED -> event.commit().isDelete() ? projection.delete(tx, event) : projection.upsert(tx, event);
                case BEHIND_TOMBSTONE -> event.commit().isDelete() || event.commit().record() == null
                        ? Uni.createFrom().voidItem() : projection.behindTombstone(tx, event);
                case BEHIND -> Uni.createFrom().voidItem();
            };
        });
    }
}
