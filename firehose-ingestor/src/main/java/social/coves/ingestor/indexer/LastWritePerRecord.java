package social.coves.ingestor.indexer;

import social.coves.lexicon.envelope.EventEnvelope;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/**
 * The generic fold of records that are one row each and nothing else (votes, subscriptions): per record, the last
 * applied write wins; a delete removes the row; a write the parser refuses (it throws, or returns null after saying
 * why) changes nothing. Writes behind a tombstone are ignored: these rows keep no placeholder.
 *
 * @param touched the URIs of the records whose row changes
 * @param upserts the rows to write
 * @param deletes the URIs of the rows to delete
 */
public record LastWritePerRecord<R>(List<String> touched, List<R> upserts, List<String> deletes) {

    /** {@code row} turns an applied write into its row (or null: refused). */
    public static <R> LastWritePerRecord<R> of(List<Decided> events, BiFunction<RecordKey, EventEnvelope, R> row) {
        LastWritePerRecord<R> out = new LastWritePerRecord<>(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Decided.byRecord(events).forEach((key, decided) -> {
            R last = null;
            boolean changed = false;
            for (Decided d : decided) {
                if (!d.applied()) {
                    continue;
                }
                EventEnvelope e = d.event();
                if (e.commit().isDelete()) {
                    last = null;
                    changed = true;
                    continue;
                }
                R parsed;
                try {
                    parsed = row.apply(key, e);
                } catch (RuntimeException ex) {
                    skip(e, ex.getMessage());
                    continue;
                }
                if (parsed != null) {
                    last = parsed;
                    changed = true;
                }
            }
            if (changed) {
                out.touched.add(key.uri());
                if (last == null) {
                    out.deletes.add(key.uri());
                } else {
                    out.upserts.add(last);
                }
            }
        });
        return out;
    }

    public boolean isEmpty() {
        return touched.isEmpty();
    }
}
