package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import social.coves.lexicon.envelope.EventEnvelope;

/**
 * Keeps one collection's projection in step with the log, one event at a time (collections with few events and rows
 * of their own rules; the busy collections have a set-based {@link CollectionFold}). Called only for commits newer than
 * what is stored, and for writes behind a tombstone.
 */
public interface RecordProjection {

    /** The collection NSID this projection owns. */
    String collection();

    /** A create or update: the record replaces whatever is stored. */
    Uni<Void> upsert(SqlConnection tx, EventEnvelope event);

    /** A delete: the record's bookkeeping already holds the tombstone. */
    Uni<Void> delete(SqlConnection tx, EventEnvelope event);

    /**
     * A create/update older than the stored tombstone. It must not resurrect the record, but projections that keep
     * soft-deleted rows may take the immutable "shape" fields (thread position, author, creation time) from it when the
     * row only exists as a placeholder made by the delete — so the result does not depend on the order of arrival.
     */
    default Uni<Void> behindTombstone(SqlConnection tx, EventEnvelope event) {
        return Uni.createFrom().voidItem();
    }

    /** Adds the parent rows the event will write to the batch's lock plan ({@link BatchLockOrder}); most write none. */
    default void planLocks(BatchLockOrder.Plan plan, EventEnvelope event) {
    }
}
