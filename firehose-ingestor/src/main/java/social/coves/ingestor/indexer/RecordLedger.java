package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.lexicon.envelope.EventEnvelope;

/**
 * The per-record bookkeeping {@code appview.records}: a commit is applied only if its rev is newer than the one
 * stored for (did, collection, rkey). Deletes are stored as tombstones with their rev, so an older create that is
 * replayed later cannot bring the record back.
 */
final class RecordLedger {

    /** What the ledger decided for one commit. */
    enum Outcome {
        /** Newer than anything stored: the projection applies it. */
        APPLIED,
        /** Older than (or equal to) a stored tombstone: the record stays deleted. */
        BEHIND_TOMBSTONE,
        /** Older than (or equal to) a stored live version: ignored. */
        BEHIND
    }

    // The scalar sub-select reads the snapshot taken before the upsert, i.e. the stored state when nothing was applied.
    private static final String ADVANCE = """
            WITH up AS (
                INSERT INTO appview.records AS r (did, collection, rkey, rev, cid, deleted)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (did, collection, rkey) DO UPDATE
                   SET rev = EXCLUDED.rev, cid = EXCLUDED.cid, deleted = EXCLUDED.deleted, updated_at = now()
                 WHERE r.rev < EXCLUDED.rev
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM up) AS applied,
                   (SELECT deleted FROM appview.records WHERE did = $1 AND collection = $2 AND rkey = $3) AS stored_deleted""";

    private RecordLedger() {
    }

    /** Records the commit if it is newer than what is stored; emits what was decided. */
    static Uni<Outcome> advance(SqlConnection tx, EventEnvelope event) {
        EventEnvelope.Commit c = event.commit();
        return tx.preparedQuery(ADVANCE)
                .execute(Tuple.tuple(java.util.Arrays.asList(event.did(), c.collection(), c.rkey(), c.rev(), c.cid(), c.isDelete())))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getBoolean("applied")) {
                        return Outcome.APPLIED;
                    }
                    return Boolean.TRUE.equals(row.getBoolean("stored_deleted")) ? Outcome.BEHIND_TOMBSTONE : Outcome.BEHIND;
                });
    }
}
