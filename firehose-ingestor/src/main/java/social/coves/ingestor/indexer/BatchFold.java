package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import social.coves.ingestor.indexer.actors.FirstSight;
import social.coves.ingestor.indexer.comments.CommentFold;
import social.coves.ingestor.indexer.posts.PostFold;
import social.coves.ingestor.indexer.subscriptions.SubscriptionFold;
import social.coves.ingestor.indexer.votes.VoteFold;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The fold of one batch of repo events, in one transaction, in a fixed small number of statements per batch:
 *
 * <ol>
 *   <li><b>Ledger</b> ({@link RecordLedger#decide}): the newest rev of every record is written and each event decided
 *   (applied / behind a tombstone / behind) in delivery order.</li>
 *   <li><b>Reads</b>: each collection's fold ({@link CollectionFold}, one per collection package: posts, comments, votes,
 *   subscriptions, and the {@link RecordProjection}s of the rest) reads the stored rows its events need (all reads sent
 *   at once) and folds its events in Java.</li>
 *   <li><b>Rows only this batch writes</b> whose counter changes must be known before the locks (votes).</li>
 *   <li><b>Locks</b>: every parent row the batch writes, in the order every batch takes them ({@link BatchLockOrder}),
 *   so that concurrent indexer replicas never deadlock.</li>
 *   <li><b>Writes</b> of every fold under the locks; then the <b>counters</b>: the summed changes of the batch
 *   ({@link social.coves.ingestor.indexer.counts.CounterDeltas}) and the recount of the parents it inserted.</li>
 *   <li>Actor rows last, in DID order ({@link ActorLockOrder}): actor profiles and first-seen accounts ({@link FirstSight}).</li>
 * </ol>
 *
 * <p>Without counter maintenance (a rebuild into an empty schema, {@code ProjectionRebuild}) the "before" reads, the
 * locks, the counters and the comment depths are left out: the rebuild recounts everything once at the end.
 */
final class BatchFold {

    /** Whether each batch keeps the parents' counters exact, or leaves them to a recount at the end (a rebuild). */
    enum Counters { MAINTAINED, DEFERRED }

    /** The set-based folds, in the order they write under the locks (after the event-by-event collections). */
    private static final List<CollectionFold> SET_BASED = List.of(new PostFold(), new CommentFold(), new VoteFold(), new SubscriptionFold());

    private final List<CollectionFold> folds = new ArrayList<>();
    private final Map<String, CollectionFold> byCollection = new HashMap<>();
    /** Actor profiles, written with the actor rows (null when there is no such projection). */
    private final EventByEventFold actorProfiles;
    private final Counters counters;

    /** {@code projections}: the event-by-event projections (actor profiles are written last, with the actor rows). */
    BatchFold(Map<String, RecordProjection> projections, Counters counters) {
        this.counters = counters;
        Map<String, RecordProjection> eventByEvent = new LinkedHashMap<>(projections);
        SET_BASED.forEach(f -> f.collections().forEach(eventByEvent::remove));
        RecordProjection profiles = eventByEvent.remove(CovesCollections.ACTOR_PROFILE);
        this.actorProfiles = profiles == null ? null : new EventByEventFold(Map.of(CovesCollections.ACTOR_PROFILE, profiles));
        folds.add(new EventByEventFold(eventByEvent));
        folds.addAll(SET_BASED);
        folds.forEach(f -> f.collections().forEach(c -> byCollection.put(c, f)));
    }

    Uni<Void> apply(SqlConnection tx, List<EventEnvelope> envelopes) {
        List<EventEnvelope> commits = envelopes.stream().filter(e -> e.commit() != null).toList();
        if (commits.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        FoldBatch batch = new FoldBatch(tx, counters == Counters.MAINTAINED);
        return RecordLedger.decide(tx, commits).chain(decided -> {
            Map<CollectionFold, List<Decided>> perFold = new LinkedHashMap<>();
            folds.forEach(f -> perFold.put(f, new ArrayList<>()));
            List<Decided> profiles = new ArrayList<>();
            for (Decided d : decided) {
                String collection = d.event().commit().collection();
                CollectionFold fold = byCollection.get(collection);
                if (fold != null) {
                    perFold.get(fold).add(d);
                } else if (actorProfiles != null && collection.equals(CovesCollections.ACTOR_PROFILE)) {
                    profiles.add(d);
                }
            }
            List<Uni<CollectionFold.Writes>> reads = new ArrayList<>();
            perFold.forEach((fold, events) -> reads.add(events.isEmpty() ? Uni.createFrom().nullItem() : fold.read(batch, events)));
            return Uni.join().all(reads).andFailFast().chain(writes -> {
                List<CollectionFold.Writes> all = writes.stream().filter(w -> w != null).toList();
                List<Supplier<Uni<?>>> steps = new ArrayList<>();
                all.forEach(w -> steps.add(() -> w.beforeLocks(batch)));
                if (batch.countersMaintained()) {
                    steps.add(() -> {
                        batch.counters().parents().forEach((parent, keys) -> keys.forEach(k -> batch.locks().add(parent, k)));
                        return BatchLockOrder.acquire(tx, batch.locks());
                    });
                }
                all.forEach(w -> steps.add(() -> w.underLocks(batch)));
                if (batch.countersMaintained()) {
                    steps.add(() -> batch.counters().apply(tx, batch.locks()::covers, batch.locks().lockedRoots));
                    steps.add(() -> batch.counters().recount(tx));
                }
                // actor rows last and in DID order, as the identity batch takes them: the profiles, and the accounts the
                // batch names for the first time (FirstSight)
                steps.addAll(FirstSight.inDidOrder(tx, envelopes, ActorLockOrder.sorted(profiles, x -> x.event().did()),
                        x -> x.event().did(), d -> actorProfiles.apply(tx, d)));
                return FoldStatements.sequence(steps);
            });
        });
    }
}
