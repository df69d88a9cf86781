package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
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

    /** Folds a batch of envelopes into the projections ({@link BatchFold}), inside the caller's transaction. */
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
}
