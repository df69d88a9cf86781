package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.lexicon.envelope.EventEnvelope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-record bookkeeping {@code appview.records}: a commit is applied only if its rev is newer than the one
 * stored for (did, collection, rkey). Deletes are stored as tombstones with their rev, so an older create that is
 * replayed later cannot bring the record back.
 */
public final class RecordLedger {

    /** What the ledger decided for one commit. */
    public enum Outcome {
        /** Newer than anything stored: the projection applies it. */
        APPLIED,
        /** Older than (or equal to) a stored tombstone: the record stays deleted. */
        BEHIND_TOMBSTONE,
        /** Older than (or equal to) a stored live version: ignored. */
        BEHIND
    }

    /**
     * Reads the stored (rev, deleted) of every record key of a batch and writes the newest rev per key, in one
     * statement (the lookups are LATERAL probes of the primary key, whatever the table's size).
     */
    static final String LEDGER = """
            WITH i AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[])
                                  AS u(did, collection, rkey, rev, cid, deleted)),
                 o AS (SELECT i.did, i.collection, i.rkey, r.rev, r.deleted FROM i
                         CROSS JOIN LATERAL (SELECT r.rev, r.deleted FROM appview.records r
                                              WHERE r.did = i.did AND r.collection = i.collection AND r.rkey = i.rkey LIMIT 1) r),
                 w AS (INSERT INTO appview.records AS r (did, collection, rkey, rev, cid, deleted)
                       SELECT did, collection, rkey, rev, cid, deleted FROM i ORDER BY did, collection, rkey
                       ON CONFLICT (did, collection, rkey) DO UPDATE
                          SET rev = EXCLUDED.rev, cid = EXCLUDED.cid, deleted = EXCLUDED.deleted, updated_at = now()
                        WHERE r.rev < EXCLUDED.rev)
            SELECT did, collection, rkey, rev, deleted FROM o""";

    private RecordLedger() {
    }

    /**
     * Writes the newest rev of every record of the batch and decides each commit event in delivery order, as if they
     * were applied one after the other: newer than the stored (or previous) rev → applied; otherwise behind, or behind
     * a tombstone. Emits the decided events in delivery order.
     */
    static Uni<List<Decided>> decide(SqlConnection tx, List<EventEnvelope> envelopes) {
        Map<RecordKey, EventEnvelope> newest = new LinkedHashMap<>();
        for (EventEnvelope e : envelopes) {
            // the first delivered of the greatest rev wins
            newest.merge(key(e), e, (a, b) -> b.commit().rev().compareTo(a.commit().rev()) > 0 ? b : a);
        }
        int n = newest.size();
        String[] dids = new String[n], cols = new String[n], rkeys = new String[n], revs = new String[n], cids = new String[n];
        Boolean[] deleted = new Boolean[n];
        int i = 0;
        for (var entry : newest.entrySet()) {
            RecordKey k = entry.getKey();
            EventEnvelope e = entry.getValue();
            dids[i] = k.did();
            cols[i] = k.collection();
            rkeys[i] = k.rkey();
            revs[i] = e.commit().rev();
            cids[i] = e.commit().cid();
            deleted[i] = e.commit().isDelete();
            i++;
        }
        return FoldStatements.exec(tx, "LEDGER", LEDGER, Tuple.of(dids, cols, rkeys, revs, cids, deleted)).map(rows -> {
            Map<RecordKey, String[]> stored = new HashMap<>();   // key → {rev, deleted}
            for (Row r : rows) {
                stored.put(new RecordKey(r.getString(0), r.getString(1), r.getString(2)),
                        new String[]{r.getString(3), String.valueOf(r.getBoolean(4))});
            }
            List<Decided> out = new ArrayList<>(envelopes.size());
            for (EventEnvelope e : envelopes) {
                RecordKey k = key(e);
                String[] s = stored.get(k);
                Outcome o;
                if (s == null || s[0] == null || s[0].compareTo(e.commit().rev()) < 0) {
                    o = Outcome.APPLIED;
                    stored.put(k, new String[]{e.commit().rev(), String.valueOf(e.commit().isDelete())});
                } else {
                    o = Boolean.parseBoolean(s[1]) ? Outcome.BEHIND_TOMBSTONE : Outcome.BEHIND;
                }
                out.add(new Decided(e, o));
            }
            return out;
        });
    }

    private static RecordKey key(EventEnvelope e) {
        return new RecordKey(e.did(), e.commit().collection(), e.commit().rkey());
    }
}
