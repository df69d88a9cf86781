package social.coves.api.feeds;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.posts.PostView;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The viewer's effective vote (newest vote record) on each subject of a page, in one index lookup. */
@ApplicationScoped
public class ViewerVotes {

    private static final String SQL = """
            SELECT DISTINCT ON (subject_uri) subject_uri, direction, uri
              FROM appview.votes
             WHERE voter_did = $1 AND subject_uri = ANY($2)
             ORDER BY subject_uri, rkey DESC""";

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
