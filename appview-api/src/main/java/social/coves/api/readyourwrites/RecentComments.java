package social.coves.api.readyourwrites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.comments.CommentView;
import social.coves.api.posts.PostRows;
import social.coves.api.posts.PostView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The comments a signed-in viewer wrote through this AppView that the index does not show yet: the ones they made in a
 * thread (as views to show them in it) and the ones they deleted (to hide at once). Only for the viewer themselves.
 */
@ApplicationScoped
public class RecentComments {

    private static final String SQL = """
            SELECT w.uri, w.cid, w.record::text AS record, w.written_at, a.shown_handle, a.display_name
              FROM coves_api.user_writes w
              LEFT JOIN appview.actors a ON a.did = w.did
             WHERE w.did = $1 AND w.collection = 'social.coves.community.comment'
               AND w.written_at > now() - make_interval(secs => $3)
               AND (w.record IS NULL
                    OR (w.record->'reply'->'root'->>'uri' = $2
                        AND NOT EXISTS (SELECT 1 FROM appview.comments c WHERE c.uri = w.uri)))
             ORDER BY w.written_at DESC""";

    /** New comments of the viewer in this thread (newest first) and the URIs of comments they deleted. */
    public record Pending(List<CommentView> created, Set<String> deleted) {
        public boolean isEmpty() {
            return created.isEmpty() && deleted.isEmpty();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Pool pool;

    public RecentComments(Pool pool) {
        this.pool = pool;
    }

    public Uni<Pending> in(String viewerDid, String rootUri) {
        return pool.preparedQuery(SQL).execute(Tuple.of(viewerDid, rootUri, RecentWriteSql.WINDOW_SECONDS)).map(rows -> {
            List<CommentView> created = new ArrayList<>();
            Set<String> deleted = new HashSet<>();
            for (Row r : rows) {
                String record = r.getString("record");
                if (record == null) {
                    deleted.add(r.getString("uri"));
                } else {
                    created.add(view(viewerDid, r, parse(record)));
                }
            }
            return new Pending(created, deleted);
        });
    }

    private static CommentView view(String did, Row r, JsonNode record) {
        JsonNode root = record.path("reply").path("root");
        JsonNode parent = record.path("reply").path("parent");
        String handle = r.getString("shown_handle");
        boolean onPost = parent.path("uri").asText().equals(root.path("uri").asText());
        return new CommentView(r.getString("uri"), r.getString("cid"),
                new PostView.Author(did, handle == null ? PostView.Author.INVALID_HANDLE : handle, r.getString("display_name")),
                record, new CommentView.Ref(root.path("uri").asText(), root.path("cid").asText()),
                onPost ? null : new CommentView.Ref(parent.path("uri").asText(), parent.path("cid").asText()),
                record.has("embed") ? record.get("embed") : null, new CommentView.Stats(0, 0, 0, 0), null,
                record.path("createdAt").asText(), PostRows.timestamp(r.getOffsetDateTime("written_at")), null, null, null);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("a stored record does not parse", e);
        }
    }
}
