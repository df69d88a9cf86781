package social.coves.ingestor.indexer.votes;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.ingestor.indexer.CollectionFold;
import social.coves.ingestor.indexer.Decided;
import social.coves.ingestor.indexer.FoldBatch;
import social.coves.ingestor.indexer.FoldStatements;
import social.coves.ingestor.indexer.LastWritePerRecord;
import social.coves.ingestor.indexer.counts.Counter;
import social.coves.ingestor.indexer.counts.EffectiveVotes;
import social.coves.ingestor.indexer.counts.Parent;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.records.Vote;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/**
 * {@code social.coves.feed.vote} (in the voter's repo) → {@code appview.votes}, one row per vote record (the record's
 * last write). A subject's counters move by the change of each voter's effective vote ({@link EffectiveVotes},
 * {@link Counter#vote}), read before and after the batch writes its vote rows; those rows belong to the batch's own
 * repos, so they are written before the parent locks, and the counter changes are known when the locks are taken.
 */
public final class VoteFold implements CollectionFold {

    private static final String UPSERT = """
            INSERT INTO appview.votes AS v (uri, cid, voter_did, rkey, subject_uri, subject_cid, direction, created_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::timestamptz[]) ORDER BY 1
            ON CONFLICT (uri) DO UPDATE SET cid = EXCLUDED.cid, subject_uri = EXCLUDED.subject_uri,
                   subject_cid = EXCLUDED.subject_cid, direction = EXCLUDED.direction, created_at = EXCLUDED.created_at""";

    private static final String DELETE = "DELETE FROM appview.votes WHERE uri = ANY($1::text[])";

    /** A vote row: uri, cid, voter, rkey, subject, subject cid, direction, createdAt. */
    private record Row8(String uri, String cid, String voter, String rkey, String subject, String subjectCid, String direction,
                        OffsetDateTime createdAt) {
    }

    @Override
    public Set<String> collections() {
        return Set.of(CovesCollections.FEED_VOTE);
    }

    @Override
    public Uni<Writes> read(FoldBatch batch, List<Decided> events) {
        LastWritePerRecord<Row8> changes = LastWritePerRecord.of(events, (key, e) -> {
            Vote vote = Vote.fromJson(e.commit().record());
            if (!vote.isKnownDirection()) {
                skip(e, "direction " + vote.direction() + " is neither up nor down");
                return null;
            }
            return new Row8(key.uri(), e.commit().cid(), key.did(), key.rkey(), vote.subject().uri().toString(),
                    vote.subject().cid().value(), vote.direction(), createdAt(vote.createdAt(), e));
        });
        if (changes.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        String[] voters = changes.upserts().stream().map(Row8::voter).toArray(String[]::new);
        String[] subjects = changes.upserts().stream().map(Row8::subject).toArray(String[]::new);
        Uni<Map<List<String>, String>> before = !batch.countersMaintained() ? Uni.createFrom().item(Map.of())
                : effective(batch, changes.touched().toArray(String[]::new), voters, subjects);
        return before.map(was -> {
            // every (voter, subject) pair whose effective vote may change: the old subjects of the touched records, the new ones
            Set<List<String>> pairs = new HashSet<>(was.keySet());
            for (int i = 0; i < voters.length; i++) {
                pairs.add(List.of(voters[i], subjects[i]));
            }
            List<List<String>> counted = pairs.stream().filter(p -> Parent.ofUri(p.get(1)) != null).toList();
            return new Writes() {
                @Override
                public Uni<Void> beforeLocks(FoldBatch b) {
                    Uni<Void> rows = FoldStatements.pipeline(writes(b, changes));
                    if (!b.countersMaintained() || counted.isEmpty()) {
                        return rows;
                    }
                    return rows.chain(() -> effective(b, new String[0], counted.stream().map(p -> p.get(0)).toArray(String[]::new),
                            counted.stream().map(p -> p.get(1)).toArray(String[]::new))).invoke(now -> {
                        for (List<String> p : counted) {
                            String was0 = was.get(p), now0 = now.get(p);
                            if (!Objects.equals(was0, now0)) {
                                Counter.vote(b.counters(), p.get(1), was0, -1);
                                Counter.vote(b.counters(), p.get(1), now0, 1);
                            }
                        }
                    }).replaceWithVoid();
                }

                @Override
                public Uni<Void> underLocks(FoldBatch b) {
                    return Uni.createFrom().voidItem();
                }
            };
        });
    }

    /** (voter, subject) → effective direction, of the pairs named by the vote records {@code uris} and by the pairs given. */
    private static Uni<Map<List<String>, String>> effective(FoldBatch batch, String[] uris, String[] voters, String[] subjects) {
        return batch.exec("VOTES_EFFECTIVE", EffectiveVotes.OF_PAIRS, Tuple.of(uris, voters, subjects)).map(rows -> {
            Map<List<String>, String> out = new HashMap<>();
            for (Row r : rows) {
                out.put(List.of(r.getString(0), r.getString(1)), r.getString(2));
            }
            return out;
        });
    }

    private static List<Supplier<Uni<?>>> writes(FoldBatch batch, LastWritePerRecord<Row8> changes) {
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        List<Row8> rows = changes.upserts();
        if (!rows.isEmpty()) {
            steps.add(() -> batch.exec("VOTES_UPSERT", UPSERT, Tuple.tuple(List.of(
                    rows.stream().map(Row8::uri).toArray(String[]::new), rows.stream().map(Row8::cid).toArray(String[]::new),
                    rows.stream().map(Row8::voter).toArray(String[]::new), rows.stream().map(Row8::rkey).toArray(String[]::new),
                    rows.stream().map(Row8::subject).toArray(String[]::new), rows.stream().map(Row8::subjectCid).toArray(String[]::new),
                    rows.stream().map(Row8::direction).toArray(String[]::new),
                    rows.stream().map(Row8::createdAt).toArray(OffsetDateTime[]::new)))));
        }
        if (!changes.deletes().isEmpty()) {
            steps.add(() -> batch.exec("VOTES_DELETE", DELETE, Tuple.of((Object) changes.deletes().toArray(String[]::new))));
        }
        return steps;
    }
}
