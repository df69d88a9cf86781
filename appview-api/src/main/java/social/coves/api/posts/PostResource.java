package social.coves.api.posts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import social.coves.api.images.ImageUrls;
import social.coves.api.auth.ServiceAuthVerifier;
import social.coves.api.feeds.ViewerVotes;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.syntax.AtUri;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code social.coves.community.post.get?uris=...}: up to 25 posts in the order asked, a {@code notFoundPost} for each
 * URI that is unknown, deleted or hidden; the viewer's vote when authenticated.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
public class PostResource {

    static final int MAX_URIS = 25;

    private final Pool pool;
    private final ImageUrls images;
    private final ViewerVotes votes;
    private final ServiceAuthVerifier auth;
    private final ObjectMapper json;

    public PostResource(Pool pool, ViewerVotes votes, ServiceAuthVerifier auth, ImageUrls images, ObjectMapper json) {
        this.json = json;
        this.images = images;
        this.pool = pool;
        this.votes = votes;
        this.auth = auth;
    }

    /** Each entry is a member of the lexicon's union: a postView or a notFoundPost, with its {@code $type}. */
    public record Posts(List<Object> posts) {
    }

    public record NotFoundPost(@JsonProperty("$type") String type, String uri, boolean notFound) {
        static final String TYPE = "social.coves.community.post.get#notFoundPost";
    }

    private static final String POST_VIEW = "social.coves.community.post.get#postView";

    @GET
    @Path("social.coves.community.post.get")
    public Uni<Posts> get(@QueryParam("uris") List<String> uris, @HeaderParam("Authorization") String authorization) {
        if (uris == null || uris.isEmpty()) {
            throw XrpcException.invalidRequest("uris is required (one or more post AT-URIs)");
        }
        if (uris.size() > MAX_URIS) {
            throw XrpcException.invalidRequest("at most " + MAX_URIS + " uris");
        }
        for (String uri : uris) {
            if (!AtUri.isValid(uri)) {
                throw XrpcException.invalidRequest("not an AT-URI: " + uri);
            }
        }
        String[] distinct = new LinkedHashSet<>(uris).toArray(String[]::new);
        return auth.optional(authorization, "social.coves.community.post.get").chain(viewer ->
                pool.preparedQuery("SELECT " + PostRows.COLUMNS + PostRows.FROM + " AND p.uri = ANY($1)")
                        .execute(Tuple.of(distinct)).chain(rows -> {
                            Map<String, PostView> found = new HashMap<>();
                            for (Row r : rows) {
                                PostView view = PostRows.view(r, images);
                                found.put(view.uri(), view);
                            }
                            Uni<Map<String, PostView.Viewer>> mine = viewer.isPresent()
                                    ? votes.of(viewer.get().did(), List.copyOf(found.keySet())) : Uni.createFrom().item(Map.of());
                            return mine.map(byUri -> new Posts(uris.stream().<Object>map(uri -> {
                                PostView view = found.get(uri);
                                if (view == null) {
                                    return new NotFoundPost(NotFoundPost.TYPE, uri, true);
                                }
                                return typed(byUri.containsKey(uri) ? view.withViewer(byUri.get(uri)) : view);
                            }).toList()));
                        }));
    }

    private ObjectNode typed(PostView view) {
        ObjectNode member = json.createObjectNode().put("$type", POST_VIEW);
        member.setAll((ObjectNode) json.valueToTree(view));
        return member;
    }
}
