package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Set;

/**
 * Folds one or more collections' events of a batch into their projection rows ({@link BatchFold} runs every fold of a
 * batch in one transaction). The fold reads the stored state it needs and folds the events in Java first (the reads
 * of all folds are sent together), before anything is written; it then names every parent row it will write in the
 * batch's lock plan and every counter change it knows, and writes under the locks.
 */
public interface CollectionFold {

    /** The collections whose events this fold takes. */
    Set<String> collections();

    /**
     * Reads and folds the batch's events of this fold's collections (in delivery order, with the ledger's decisions);
     * emits what the batch then writes.
     */
    Uni<Writes> read(FoldBatch batch, List<Decided> events);

    /** The writes of one fold for one batch. */
    interface Writes {

        /**
         * Rows only this batch writes (keyed by records of its own repos) whose counter changes must be known before
         * the parent locks are taken: run before them.
         */
        default Uni<Void> beforeLocks(FoldBatch batch) {
            return Uni.createFrom().voidItem();
        }

        /** Everything else, with the batch's locks held ({@link BatchLockOrder}). */
        Uni<Void> underLocks(FoldBatch batch);
    }
}
