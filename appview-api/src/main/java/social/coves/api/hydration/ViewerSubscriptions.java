package social.coves.api.hydration;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import social.coves.api.changes.IndexCacheConfig;
import social.coves.api.changes.IndexChanges;
import social.coves.api.changes.UntilChangedCache;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * A viewer's subscribed communities with their contentVisibility, the communities the viewer blocked left out. Kept
 * per viewer until their subscriptions or blocks change (notice key {@link IndexChanges#user}; cache
 * {@code viewer_subscriptions}): a timeline page then starts from memory.
 */
@ApplicationScoped
public class ViewerSubscriptions {

    /** The newest subscription record of each community; an index-only walk of {@code subscriptions_subscriber_cover}. */
    public static final String SQL = """
            SELECT DISTINCT ON (community_did) community_did, content_visibility FROM appview.subscriptions s
             WHERE subscriber_did = $1
               AND NOT EXISTS (SELECT 1 FROM appview.community_blocks b WHERE b.blocker_did = $1 AND b.community_did = s.community_did)
             ORDER BY community_did, rkey DESC""";

    public record Subscription(String communityDid, int contentVisibility) {
    }

    private final HydrationStatements statements;
    private final UntilChangedCache<String, List<Subscription>> kept;

    public ViewerSubscriptions(HydrationStatements statements, IndexCacheConfig config, IndexChanges changes, MeterRegistry metrics) {
        this.statements = statements;
        this.kept = new UntilChangedCache<>("viewer_subscriptions", config.viewerSubscriptions(), config, changes, metrics, null);
    }

    public Uni<List<Subscription>> of(String viewerDid) {
        return kept.get(viewerDid, List.of(IndexChanges.user(viewerDid)), this::read);
    }

    private Uni<List<Subscription>> read(String viewerDid) {
        return statements.execute(HydrationKind.VIEWER_SUBSCRIPTIONS, SQL, Tuple.of(viewerDid)).map(rows -> {
            List<Subscription> subscriptions = new ArrayList<>();
            rows.forEach(r -> subscriptions.add(new Subscription(r.getString(0), r.getInteger(1))));
            return List.copyOf(subscriptions);
        });
    }
}
