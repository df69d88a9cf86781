package social.coves.api.hydration;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.posts.PostView;
import social.coves.api.readyourwrites.RecentWriteSql;

import java.util.List;
import java.util.Map;

/**
 * The viewer's effective vote (newest vote record) on each subject of a page, in one lookup: the index, with what
 * the viewer just voted through this AppView laid over it ({@link RecentWriteSql}).
 */
@ApplicationScoped
public class ViewerVotes {

    private static final String SQL = RecentWriteSql.VIEWER_VOTES;

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
