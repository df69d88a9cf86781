package social.coves.ingestor.indexer.votes;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.ingestor.indexer.RecordProjection;
import social.coves.ingestor.indexer.counts.ParentCounters;
import social.coves.ingestor.indexer.counts.ParentCounters.Parent;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.Vote;

import java.util.Arrays;

import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/**
 * {@code social.coves.feed.vote} (in the voter's repo) → {@code appview.votes}, moving {@code upvotes}/{@code downvotes}
 * of the subject post or comment.
 *
 * <p>A voter counts at most once per subject: their <em>effective</em> vote is the vote record with the greatest rkey
 * (TIDs sort by creation). Each change computes the voter's effective direction on the affected subjects before and
 * after, and moves the counters by the difference — so a flip moves one vote from up to down, a delete removes it, and
 * a stale second record changes nothing. A voter's records all live in one repo, hence one partition and one
 * transaction order.
 */
@ApplicationScoped
public class VoteProjection implements RecordProjection {

    private static final String SUBJECT_OF = "SELECT subject_uri FROM appview.votes WHERE uri = $1";

    private static final String EFFECTIVE = """
            SELECT direction FROM appview.votes WHERE voter_did = $1 AND subject_uri = $2 ORDER BY rkey DESC LIMIT 1""";

    private static final String UPSERT = """
            INSERT INTO appview.votes AS v (uri, cid, voter_did, rkey, subject_uri, subject_cid, direction, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (uri) DO UPDATE SET cid = EXCLUDED.cid, subject_uri = EXCLUDED.subject_uri,
                   subject_cid = EXCLUDED.subject_cid, direction = EXCLUDED.direction, created_at = EXCLUDED.created_at""";

    private static final String DELETE = "DELETE FROM appview.votes WHERE uri = $1";

    @Override
    public String collection() {
        return CovesCollections.FEED_VOTE;
    }

    @Override
    public Uni<Void> upsert(SqlConnection tx, EventEnvelope event) {
        Vote vote;
        try {
            vote = Vote.fromJson(event.commit().record());
        } catch (RuntimeException e) {
            skip(event, e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!vote.isKnownDirection()) {
            skip(event, "direction " + vote.direction() + " is neither up nor down");
            return Uni.createFrom().voidItem();
        }
        String uri = event.commit().uri(event.did());
        String subject = vote.subject().uri().toString();
        Tuple row = Tuple.tuple(Arrays.asList(uri, event.commit().cid(), event.did(), event.commit().rkey(), subject,
                vote.subject().cid().value(), vote.direction(), createdAt(vote.createdAt(), event)));
        return change(tx, event.did(), uri, subject, tx.preparedQuery(UPSERT).execute(row).replaceWithVoid());
    }

    @Override
    public Uni<Void> delete(SqlConnection tx, EventEnvelope event) {
        String uri = event.commit().uri(event.did());
        return change(tx, event.did(), uri, null, tx.preparedQuery(DELETE).execute(Tuple.of(uri)).replaceWithVoid());
    }

    /** Runs {@code write} between a before/after look at the voter's effective vote on the old and new subject. */
    private static Uni<Void> change(SqlConnection tx, String voter, String uri, String newSubject, Uni<Void> write) {
        return tx.preparedQuery(SUBJECT_OF).execute(Tuple.of(uri)).chain(rows -> {
            String oldSubject = rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null;
            if (oldSubject == null && newSubject == null) {
                return Uni.createFrom().voidItem();
            }
            String second = oldSubject != null && newSubject != null && !oldSubject.equals(newSubject) ? newSubject : null;
            String first = oldSubject != null ? oldSubject : newSubject;
            return effective(tx, voter, first).chain(before1 -> effective(tx, voter, second).chain(before2 ->
                    write.chain(() -> effective(tx, voter, first)).chain(after1 ->
                            effective(tx, voter, second).chain(after2 ->
                                    move(tx, first, before1, after1).chain(() -> move(tx, second, before2, after2))))));
        });
    }

    private static Uni<String> effective(SqlConnection tx, String voter, String subject) {
        if (subject == null) {
            return Uni.createFrom().item((String) null);
        }
        return tx.preparedQuery(EFFECTIVE).execute(Tuple.of(voter, subject))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    private static Uni<Void> move(SqlConnection tx, String subject, String before, String after) {
        Parent parent = Parent.ofUri(subject);
        if (parent == null || java.util.Objects.equals(before, after)) {
            return Uni.createFrom().voidItem();
        }
        long up = (Vote.UP.equals(after) ? 1 : 0) - (Vote.UP.equals(before) ? 1 : 0);
        long down = (Vote.DOWN.equals(after) ? 1 : 0) - (Vote.DOWN.equals(before) ? 1 : 0);
        return ParentCounters.bump(tx, parent, subject, new String[]{"upvotes", "downvotes"}, new long[]{up, down});
    }
}
