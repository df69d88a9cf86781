package social.coves.api.feeds;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.posts.PostView;
import social.coves.api.readyourwrites.RecentWriteSql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The viewer's effective vote (newest vote record) on each subject of a page, in one lookup: the index, with what
 * the viewer just voted through this AppView laid over it ({@link RecentWriteSql}).
 */
@ApplicationScoped
public class ViewerVotes {

    private static final String SQL = RecentWriteSql.VIEWER_VOTES;

    private final Pool pool;

    public ViewerVotes(Pool pool) {
        this.pool = pool;
    }

    public Uni<Map<String, PostView.Viewer>> of(String viewerDid, List<String> subjects) {
        if (subjects.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(SQL).execute(Tuple.of(viewerDid, subjects.toArray(String[]::new))).map(rows -> {
            Map<String, PostView.Viewer> votes = new HashMap<>();
            for (Row r : rows) {
                votes.put(r.getString("subject_uri"), new PostView.Viewer(r.getString("direction"), r.getString("uri")));
            }
            return votes;
        });
    }
}
