package social.coves.ingestor.indexer.subscriptions;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.ingestor.indexer.RecordProjection;
import social.coves.ingestor.indexer.counts.ParentCounters;
import social.coves.ingestor.indexer.counts.ParentCounters.Parent;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.CommunitySubscription;

import java.util.Arrays;

import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/**
 * {@code social.coves.community.subscription} (in the subscriber's repo) → {@code appview.subscriptions}, keeping
 * {@code communities.subscriber_count} = distinct subscribers. {@code contentVisibility}: absent → 3, clamped to 1..5.
 * A subscription to a community not indexed yet is kept and counted when the community profile arrives.
 */
@ApplicationScoped
public class SubscriptionProjection implements RecordProjection {

    private static final String COMMUNITY_OF = "SELECT community_did FROM appview.subscriptions WHERE uri = $1";

    private static final String SUBSCRIBED = """
            SELECT EXISTS (SELECT 1 FROM appview.subscriptions WHERE subscriber_did = $1 AND community_did = $2)""";

    private static final String UPSERT = """
            INSERT INTO appview.subscriptions AS s (uri, cid, subscriber_did, rkey, community_did, content_visibility, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (uri) DO UPDATE SET cid = EXCLUDED.cid, community_did = EXCLUDED.community_did,
                   content_visibility = EXCLUDED.content_visibility, created_at = EXCLUDED.created_at""";

    @Override
    public String collection() {
        return CovesCollections.COMMUNITY_SUBSCRIPTION;
    }

    @Override
    public Uni<Void> upsert(SqlConnection tx, EventEnvelope event) {
        CommunitySubscription sub;
        try {
            sub = CommunitySubscription.fromJson(event.commit().record());
        } catch (RuntimeException e) {
            skip(event, e.getMessage());
            return Uni.createFrom().voidItem();
        }
        String uri = event.commit().uri(event.did());
        Tuple row = Tuple.tuple(Arrays.asList(uri, event.commit().cid(), event.did(), event.commit().rkey(), sub.subject().value(),
                sub.effectiveContentVisibility(), createdAt(sub.createdAt(), event)));
        return change(tx, event.did(), uri, sub.subject().value(), tx.preparedQuery(UPSERT).execute(row).replaceWithVoid());
    }

    @Override
    public Uni<Void> delete(SqlConnection tx, EventEnvelope event) {
        String uri = event.commit().uri(event.did());
        return change(tx, event.did(), uri, null,
                tx.preparedQuery("DELETE FROM appview.subscriptions WHERE uri = $1").execute(Tuple.of(uri)).replaceWithVoid());
    }

    private static Uni<Void> change(SqlConnection tx, String subscriber, String uri, String newCommunity, Uni<Void> write) {
        return tx.preparedQuery(COMMUNITY_OF).execute(Tuple.of(uri)).chain(rows -> {
            String oldCommunity = rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null;
            String first = oldCommunity != null ? oldCommunity : newCommunity;
            String second = oldCommunity != null && newCommunity != null && !oldCommunity.equals(newCommunity) ? newCommunity : null;
            if (first == null) {
                return Uni.createFrom().voidItem();
            }
            return subscribed(tx, subscriber, first).chain(b1 -> subscribed(tx, subscriber, second).chain(b2 ->
                    write.chain(() -> subscribed(tx, subscriber, first)).chain(a1 ->
                            subscribed(tx, subscriber, second).chain(a2 ->
                                    move(tx, first, b1, a1).chain(() -> move(tx, second, b2, a2))))));
        });
    }

    private static Uni<Boolean> subscribed(SqlConnection tx, String subscriber, String community) {
        if (community == null) {
            return Uni.createFrom().item(false);
        }
        return tx.preparedQuery(SUBSCRIBED).execute(Tuple.of(subscriber, community)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    private static Uni<Void> move(SqlConnection tx, String community, boolean before, boolean after) {
        if (community == null || before == after) {
            return Uni.createFrom().voidItem();
        }
        return ParentCounters.bump(tx, Parent.COMMUNITY, community, "subscriber_count", after ? 1 : -1);
    }
}
