package social.coves.api.hydration;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.posts.PostView;

import java.util.List;
import java.util.Map;

/** The viewer's effective vote (newest vote record) on each subject of a page (posts and comments), in one index lookup. */
@ApplicationScoped
public class ViewerVotes {

    private static final String SQL = """
            SELECT DISTINCT ON (subject_uri) subject_uri, direction, uri
              FROM appview.votes
             WHERE voter_did = $1 AND subject_uri = ANY($2)
             ORDER BY subject_uri, rkey DESC""";

    private final HydrationStatements statements;

    public ViewerVotes(HydrationStatements statements) {
        this.statements = statements;
    }

    /** The viewer's votes by subject URI; subjects without a vote are absent. */
    public Uni<Map<String, PostView.Viewer>> of(String viewerDid, List<String> subjects) {
        if (subjects.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return statements.byFirstColumn(HydrationKind.VIEWER_VOTES, SQL, Tuple.of(viewerDid, subjects.toArray(String[]::new)),
                r -> new PostView.Viewer(r.getString(1), r.getString(2)));
    }
}
