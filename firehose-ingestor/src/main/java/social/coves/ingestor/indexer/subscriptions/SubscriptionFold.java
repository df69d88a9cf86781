package social.coves.ingestor.indexer.subscriptions;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.ingestor.indexer.CollectionFold;
import social.coves.ingestor.indexer.Decided;
import social.coves.ingestor.indexer.FoldBatch;
import social.coves.ingestor.indexer.FoldStatements;
import social.coves.ingestor.indexer.LastWritePerRecord;
import social.coves.ingestor.indexer.counts.Counter;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.records.CommunitySubscription;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;

/**
 * {@code social.coves.community.subscription} (in the subscriber's repo) → {@code appview.subscriptions}, one row per
 * record (its last write). An account counts once on a community however many subscription records it has
 * ({@link Counter#subscription}): the communities' counters move by the change of the subscribed (account, community)
 * pairs, read before and after the batch writes its rows.
 */
public final class SubscriptionFold implements CollectionFold {

    /** The pairs ($2 subscriber, $3 community) and those of the records $1 that have a subscription record. */
    public static final String SUBSCRIBED = """
            WITH pairs AS (SELECT subscriber_did AS subscriber, community_did AS community FROM appview.subscriptions
                            WHERE uri = ANY($1::text[])
                           UNION SELECT * FROM unnest($2::text[], $3::text[]))
            SELECT p.subscriber, p.community
              FROM pairs p
             CROSS JOIN LATERAL (SELECT 1 FROM appview.subscriptions s
                                  WHERE s.subscriber_did = p.subscriber AND s.community_did = p.community LIMIT 1) s""";

    private static final String UPSERT = """
            INSERT INTO appview.subscriptions AS s (uri, cid, subscriber_did, rkey, community_did, content_visibility, created_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::timestamptz[])
             ORDER BY 1
            ON CONFLICT (uri) DO UPDATE SET cid = EXCLUDED.cid, community_did = EXCLUDED.community_did,
                   content_visibility = EXCLUDED.content_visibility, created_at = EXCLUDED.created_at""";

    private static final String DELETE = "DELETE FROM appview.subscriptions WHERE uri = ANY($1::text[])";

    private record Subscription(String uri, String cid, String subscriber, String rkey, String community, Integer visibility,
                                OffsetDateTime createdAt) {
    }

    @Override
    public Set<String> collections() {
        return Set.of(CovesCollections.COMMUNITY_SUBSCRIPTION);
    }

    @Override
    public Uni<Writes> read(FoldBatch batch, List<Decided> events) {
        LastWritePerRecord<Subscription> changes = LastWritePerRecord.of(events, (key, e) -> {
            CommunitySubscription sub = CommunitySubscription.fromJson(e.commit().record());
            return new Subscription(key.uri(), e.commit().cid(), key.did(), key.rkey(), sub.subject().value(),
                    sub.effectiveContentVisibility(), createdAt(sub.createdAt(), e));
        });
        if (changes.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        if (!batch.countersMaintained()) {
            return Uni.createFrom().item(b -> FoldStatements.pipeline(writes(b, changes)));
        }
        String[] subscribers = changes.upserts().stream().map(Subscription::subscriber).toArray(String[]::new);
        String[] communities = changes.upserts().stream().map(Subscription::community).toArray(String[]::new);
        return subscribed(batch, changes.touched().toArray(String[]::new), subscribers, communities).map(was -> {
            Set<List<String>> pairs = new HashSet<>(was);
            for (int i = 0; i < subscribers.length; i++) {
                pairs.add(List.of(subscribers[i], communities[i]));
            }
            List<List<String>> all = new ArrayList<>(pairs);
            all.forEach(p -> batch.locks().communities.add(p.get(1)));
            return b -> FoldStatements.pipeline(writes(b, changes))
                    .chain(() -> subscribed(b, new String[0], all.stream().map(p -> p.get(0)).toArray(String[]::new),
                            all.stream().map(p -> p.get(1)).toArray(String[]::new)))
                    .invoke(now -> all.forEach(p ->
                            Counter.subscription(b.counters(), p.get(1), (now.contains(p) ? 1 : 0) - (was.contains(p) ? 1 : 0))))
                    .replaceWithVoid();
        });
    }

    private static Uni<Set<List<String>>> subscribed(FoldBatch batch, String[] uris, String[] subscribers, String[] communities) {
        return batch.exec("SUBS_SUBSCRIBED", SUBSCRIBED, Tuple.of(uris, subscribers, communities)).map(rows -> {
            Set<List<String>> out = new HashSet<>();
            for (Row r : rows) {
                out.add(List.of(r.getString(0), r.getString(1)));
            }
            return out;
        });
    }

    private static List<Supplier<Uni<?>>> writes(FoldBatch batch, LastWritePerRecord<Subscription> changes) {
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        List<Subscription> rows = changes.upserts();
        if (!rows.isEmpty()) {
            steps.add(() -> batch.exec("SUBS_UPSERT", UPSERT, Tuple.tuple(List.of(
                    rows.stream().map(Subscription::uri).toArray(String[]::new), rows.stream().map(Subscription::cid).toArray(String[]::new),
                    rows.stream().map(Subscription::subscriber).toArray(String[]::new), rows.stream().map(Subscription::rkey).toArray(String[]::new),
                    rows.stream().map(Subscription::community).toArray(String[]::new),
                    rows.stream().map(Subscription::visibility).toArray(Integer[]::new),
                    rows.stream().map(Subscription::createdAt).toArray(OffsetDateTime[]::new)))));
        }
        if (!changes.deletes().isEmpty()) {
            steps.add(() -> batch.exec("SUBS_DELETE", DELETE, Tuple.of((Object) changes.deletes().toArray(String[]::new))));
        }
        return steps;
    }
}
