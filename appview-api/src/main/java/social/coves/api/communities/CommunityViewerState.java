package social.coves.api.communities;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.readyourwrites.RecentWriteSql;
import social.coves.api.sql.Sql;
import social.coves.lexicon.CovesCollections;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a viewer subscribes to and blocks each of some communities, in one statement: the index, with what the viewer
 * just did through this AppView laid over it ({@link RecentWriteSql}). The one definition of both rules.
 */
@ApplicationScoped
public class CommunityViewerState {

    private final Pool pool;

    public CommunityViewerState(Pool pool) {
        this.pool = pool;
    }

    /** The viewer subscribes to community {@code communityDid} (a SQL expression; {@code viewer} a bound parameter). */
    static String subscribes(String viewer, String communityDid) {
        return RecentWriteSql.has(CovesCollections.COMMUNITY_SUBSCRIPTION, viewer, communityDid, "appview.subscriptions",
                "subscriber_did", "community_did");
    }

    /** The viewer blocks community {@code communityDid} (a SQL expression; {@code viewer} a bound parameter). */
    static String blocks(String viewer, String communityDid) {
        return RecentWriteSql.has(CovesCollections.COMMUNITY_BLOCK, viewer, communityDid, "appview.community_blocks",
                "blocker_did", "community_did");
    }

    /** The viewer's state for each of {@code communityDids}. */
    Uni<Map<String, CommunityView.Viewer>> of(String viewerDid, List<String> communityDids) {
        if (communityDids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Sql sql = new Sql();
        String viewer = sql.bind(viewerDid);
        String dids = sql.bind(communityDids.toArray(String[]::new));
        sql.append("SELECT c.did, " + subscribes(viewer, "c.did") + " AS subscribed, " + blocks(viewer, "c.did") + " AS blocked"
                + " FROM unnest(" + dids + "::text[]) AS c(did)");
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).map(rows -> {
            Map<String, CommunityView.Viewer> byDid = new HashMap<>();
            for (Row r : rows) {
                byDid.put(r.getString("did"), new CommunityView.Viewer(r.getBoolean("subscribed"), r.getBoolean("blocked")));
            }
            return byDid;
        });
    }
}
