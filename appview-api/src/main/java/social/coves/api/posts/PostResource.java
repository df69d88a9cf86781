package social.coves.api.posts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import social.coves.api.auth.ServiceAuthVerifier;
import social.coves.api.auth.Viewer;
import social.coves.api.hydration.HydratedPost;
import social.coves.api.hydration.PostHydrator;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.syntax.AtUri;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code social.coves.community.post.get?uris=...}: up to 25 posts in the order asked, a {@code notFoundPost} for each
 * URI that is unknown, deleted or hidden; the viewer's vote when authenticated.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
public class PostResource {

    static final int MAX_URIS = 25;

    private final PostHydrator posts;
    private final ServiceAuthVerifier auth;
    private final ObjectMapper json;

    public PostResource(PostHydrator posts, ServiceAuthVerifier auth, ObjectMapper json) {
        this.posts = posts;
        this.auth = auth;
        this.json = json;
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
        List<String> distinct = List.copyOf(new LinkedHashSet<>(uris));
        return auth.optional(authorization, "social.coves.community.post.get").chain(viewer ->
                posts.posts(distinct, viewer.map(Viewer::did)).map(found -> new Posts(uris.stream().<Object>map(uri -> {
                    HydratedPost post = found.get(uri);
                    return post == null ? new NotFoundPost(NotFoundPost.TYPE, uri, true) : typed(post.view());
                }).toList())));
    }

    private ObjectNode typed(PostView view) {
        ObjectNode member = json.createObjectNode().put("$type", POST_VIEW);
        member.setAll((ObjectNode) json.valueToTree(view));
        return member;
    }
}
