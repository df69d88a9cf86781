package social.coves.ingestor.indexer;

import social.coves.lexicon.envelope.EventEnvelope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One commit event with what the ledger decided for it ({@link RecordLedger}). */
public record Decided(EventEnvelope event, RecordLedger.Outcome outcome) {

    public RecordKey key() {
        return new RecordKey(event.did(), event.commit().collection(), event.commit().rkey());
    }

    public boolean applied() {
        return outcome == RecordLedger.Outcome.APPLIED;
    }

    /** A create or update newer than anything stored. */
    public boolean appliedWrite() {
        return applied() && !event.commit().isDelete();
    }

    /** A create or update older than the stored tombstone (it may fill the shape of a placeholder, never revive it). */
    public boolean writeBehindTombstone() {
        return outcome == RecordLedger.Outcome.BEHIND_TOMBSTONE && !event.commit().isDelete() && event.commit().record() != null;
    }

    /** The events grouped per record, each record's events in delivery order. */
    public static Map<RecordKey, List<Decided>> byRecord(List<Decided> events) {
        Map<RecordKey, List<Decided>> out = new LinkedHashMap<>();
        events.forEach(d -> out.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d));
        return out;
    }
}
