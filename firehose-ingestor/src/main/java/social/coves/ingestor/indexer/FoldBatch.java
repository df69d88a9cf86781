package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.ingestor.indexer.counts.CounterDeltas;

/** One batch being folded: its transaction, its counter changes and the rows it locks. Not shared between batches. */
public final class FoldBatch {

    private final SqlConnection tx;
    private final boolean countersMaintained;
    private final CounterDeltas counters;
    private final BatchLockOrder.Plan locks = new BatchLockOrder.Plan();

    FoldBatch(SqlConnection tx, boolean countersMaintained) {
        this.tx = tx;
        this.countersMaintained = countersMaintained;
        this.counters = new CounterDeltas(countersMaintained);
    }

    public SqlConnection tx() {
        return tx;
    }

    /**
     * Whether this batch keeps counters and comment depths exact. A rebuild into an empty schema does not: it recounts
     * everything once at the end, so its batches read no "before" state, take no parent locks and move no counters.
     */
    public boolean countersMaintained() {
        return countersMaintained;
    }

    public CounterDeltas counters() {
        return counters;
    }

    /** The parent rows (and keys) the batch writes, locked before its first write to them. */
    public BatchLockOrder.Plan locks() {
        return locks;
    }

    public Uni<RowSet<Row>> exec(String label, String sql, Tuple args) {
        return FoldStatements.exec(tx, label, sql, args);
    }
}
