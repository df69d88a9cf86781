package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import social.coves.lexicon.envelope.EventEnvelope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The collections that have no set-based fold (few events, rows with their own rules: community profiles, blocks,
 * aggregator records): each event through its {@link RecordProjection}, one after the other in delivery order, with
 * the ledger's decision, under the batch's locks.
 */
final class EventByEventFold implements CollectionFold {

    private final Map<String, RecordProjection> projections;

    EventByEventFold(Map<String, RecordProjection> projections) {
        this.projections = projections;
    }

    @Override
    public Set<String> collections() {
        return projections.keySet();
    }

    @Override
    public Uni<Writes> read(FoldBatch batch, List<Decided> events) {
        events.forEach(d -> projections.get(d.event().commit().collection()).planLocks(batch.locks(), d.event()));
        return Uni.createFrom().item(b -> {
            List<Supplier<Uni<?>>> steps = new ArrayList<>();
            events.forEach(d -> steps.add(() -> apply(b.tx(), d)));
            return FoldStatements.sequence(steps);
        });
    }

    /** One event through its projection, as the ledger decided. */
    Uni<Void> apply(SqlConnection tx, Decided d) {
        RecordProjection projection = projections.get(d.event().commit().collection());
        EventEnvelope event = d.event();
        return switch (d.outcome()) {
            case APPLIED -> event.commit().isDelete() ? projection.delete(tx, event) : projection.upsert(tx, event);
            case BEHIND_TOMBSTONE -> d.writeBehindTombstone() ? projection.behindTombstone(tx, event) : Uni.createFrom().voidItem();
            case BEHIND -> Uni.createFrom().voidItem();
        };
    }
}
