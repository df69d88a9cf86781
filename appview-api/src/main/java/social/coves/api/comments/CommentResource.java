package social.coves.api.comments;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import social.coves.api.auth.ServiceAuthVerifier;
import social.coves.api.auth.Viewer;
import social.coves.api.feeds.FeedSort;
import social.coves.api.feeds.PageSize;
import social.coves.api.feeds.Timeframe;
import social.coves.api.xrpc.SharedReads;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.syntax.AtUri;

import java.util.Optional;

/**
 * {@code social.coves.community.comment.getComments}: a post's threaded comments. Reads without a viewer share
 * identical requests in flight ({@link SharedReads}).
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
public class CommentResource {

    static final String NSID = "social.coves.community.comment.getComments";
    static final int DEFAULT_DEPTH = 10;
    static final int MAX_DEPTH = 100;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;

    private final ThreadQueries threads;
    private final ServiceAuthVerifier auth;
    private final SharedReads shared;

    public CommentResource(ThreadQueries threads, ServiceAuthVerifier auth, SharedReads shared) {
        this.threads = threads;
        this.auth = auth;
        this.shared = shared;
    }

    @GET
    @Path(NSID)
    public Uni<Response> getComments(@QueryParam("post") String post, @QueryParam("sort") String sort,
                                         @QueryParam("timeframe") String timeframe, @QueryParam("depth") String depth,
                                         @QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                                         @HeaderParam("Authorization") String authorization) {
        if (post == null || post.isBlank()) {
            throw XrpcException.invalidRequest("post is required (the AT-URI of a post)");
        }
        if (!AtUri.isValid(post) || AtUri.parse(post).rkey() == null) {
            throw XrpcException.invalidRequest("post must be the AT-URI of a post record (at://did/collection/rkey): " + post);
        }
        FeedSort s = FeedSort.parse(sort);
        // the lexicon: timeframe applies to top and is ignored for other sorts (still checked, so a typo is reported)
        Timeframe given = timeframe == null || timeframe.isEmpty() ? Timeframe.ALL : Timeframe.parse(timeframe);
        Timeframe t = s == FeedSort.TOP ? given : Timeframe.ALL;
        int d = depth(depth);
        int size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        if (ServiceAuthVerifier.isAnonymous(authorization)) {
            return shared.json("getComments", () -> threads.thread(new ThreadQueries.Request(post, s, t, d, size, cursor, Optional.empty())),
                    post, s, t, d, size, cursor);
        }
        return auth.optional(authorization, NSID)
                .chain(viewer -> shared.jsonFor(viewer.map(Viewer::did).orElse(null), "getComments",
                        () -> threads.thread(new ThreadQueries.Request(post, s, t, d, size, cursor, viewer.map(Viewer::did))),
                        post, s, t, d, size, cursor));
    }

    static int depth(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_DEPTH;
        }
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw XrpcException.invalidRequest("depth must be an integer");
        }
        if (value < 0) {
            throw XrpcException.invalidRequest("depth must not be negative");
        }
        return Math.min(value, MAX_DEPTH);
    }
}
