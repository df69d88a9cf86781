package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.lexicon.envelope.EventEnvelope;

/**
 * The per-record bookkeeping {@code appview.records}: a commit is applied only if its rev is newer than the one
 * stored for (did, collection, rkey). Deletes are stored as tombstones with their rev, so an older create that is
 * replayed later cannot bring the record back.
 */
final class RecordLedger {

    private static final String ADVANCE = """
            INSERT INTO appview.records AS r (did, collection, rkey, rev, cid, deleted)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (did, collection, rkey) DO UPDATE
               SET rev = EXCLUDED.rev, cid = EXCLUDED.cid, deleted = EXCLUDED.deleted, updated_at = now()
             WHERE r.rev < EXCLUDED.rev
            RETURNING 1""";

    private RecordLedger() {
    }

    /** Records the commit if it is newer than what is stored; emits whether it was. */
    static Uni<Boolean> advance(SqlConnection tx, EventEnvelope event) {
        EventEnvelope.Commit c = event.commit();
        return tx.preparedQuery(ADVANCE)
                .execute(Tuple.tuple(java.util.Arrays.asList(event.did(), c.collection(), c.rkey(), c.rev(), c.cid(), c.isDelete())))
                .map(rows -> rows.rowCount() > 0);
    }
}
