package social.coves.api.feeds;

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
import social.coves.api.communities.CommunityIdentifier;
import social.coves.api.communities.CommunityQueries;
import social.coves.api.xrpc.SharedReads;
import social.coves.api.xrpc.XrpcException;

import java.util.Optional;

/**
 * {@code social.coves.feed.*}: community feed (and its Coves alias), timeline, discover. Identical reads in flight
 * share one query ({@link SharedReads}): anonymous ones with each other, a viewer's only with that viewer's.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
public class FeedResource {

    static final int DEFAULT_LIMIT = 15;
    static final int MAX_LIMIT = 50;

    private final FeedQueries feeds;
    private final CommunityQueries communities;
    private final ServiceAuthVerifier auth;
    private final SharedReads shared;

    public FeedResource(FeedQueries feeds, CommunityQueries communities, ServiceAuthVerifier auth, SharedReads shared) {
        this.feeds = feeds;
        this.communities = communities;
        this.auth = auth;
        this.shared = shared;
    }

    @GET
    @Path("social.coves.feed.getCommunity")
    public Uni<Response> getCommunity(@QueryParam("community") String community, @QueryParam("sort") String sort,
                                      @QueryParam("timeframe") String timeframe, @QueryParam("limit") String limit,
                                      @QueryParam("cursor") String cursor, @HeaderParam("Authorization") String authorization) {
        return community("social.coves.feed.getCommunity", community, sort, timeframe, limit, cursor, authorization);
    }

    /** The path Coves serves today; same behaviour. */
    @GET
    @Path("social.coves.communityFeed.getCommunity")
    public Uni<Response> getCommunityAlias(@QueryParam("community") String community, @QueryParam("sort") String sort,
                                           @QueryParam("timeframe") String timeframe, @QueryParam("limit") String limit,
                                           @QueryParam("cursor") String cursor, @HeaderParam("Authorization") String authorization) {
        return community("social.coves.communityFeed.getCommunity", community, sort, timeframe, limit, cursor, authorization);
    }

    @GET
    @Path("social.coves.feed.getTimeline")
    public Uni<Response> getTimeline(@QueryParam("sort") String sort, @QueryParam("timeframe") String timeframe,
                                     @QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                                     @HeaderParam("Authorization") String authorization) {
        FeedSort s = FeedSort.parse(sort);
        Timeframe t = Timeframe.parse(timeframe);
        int size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        return auth.required(authorization, "social.coves.feed.getTimeline")
                .chain(viewer -> shared.jsonFor(viewer.did(), "getTimeline",
                        () -> feeds.page(new FeedScope.Timeline(viewer.did()), s, t, size, cursor, Optional.of(viewer.did())),
                        s, t, size, cursor));
    }

    @GET
    @Path("social.coves.feed.getDiscover")
    public Uni<Response> getDiscover(@QueryParam("sort") String sort, @QueryParam("timeframe") String timeframe,
                                     @QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                                     @HeaderParam("Authorization") String authorization) {
        FeedSort s = FeedSort.parse(sort);
        Timeframe t = Timeframe.parse(timeframe);
        int size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        if (ServiceAuthVerifier.isAnonymous(authorization)) {
            return shared.json("getDiscover", () -> feeds.page(new FeedScope.Discover(), s, t, size, cursor, Optional.empty()),
                    s, t, size, cursor);
        }
        return auth.optional(authorization, "social.coves.feed.getDiscover")
                .chain(viewer -> shared.jsonFor(viewer.map(Viewer::did).orElse(null), "getDiscover",
                        () -> feeds.page(new FeedScope.Discover(), s, t, size, cursor, viewer.map(Viewer::did)), s, t, size, cursor));
    }

    private Uni<Response> community(String nsid, String community, String sort, String timeframe, String limit, String cursor,
                                    String authorization) {
        CommunityIdentifier id = CommunityIdentifier.parse(community);
        FeedSort s = FeedSort.parse(sort);
        Timeframe t = Timeframe.parse(timeframe);
        int size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        if (ServiceAuthVerifier.isAnonymous(authorization)) {
            return shared.json("getCommunity", () -> communityPage(community, id, s, t, size, cursor, Optional.empty()),
                    community, s, t, size, cursor);
        }
        return auth.optional(authorization, nsid)
                .chain(viewer -> shared.jsonFor(viewer.map(Viewer::did).orElse(null), "getCommunity",
                        () -> communityPage(community, id, s, t, size, cursor, viewer.map(Viewer::did)), community, s, t, size, cursor));
    }

    private Uni<FeedPage> communityPage(String community, CommunityIdentifier id, FeedSort s, Timeframe t, int size, String cursor,
                                        Optional<String> viewer) {
        return communities.resolveDid(id).chain(did -> {
            if (did.isEmpty()) {
                throw XrpcException.notFound("CommunityNotFound", "community not found: " + community);
            }
            return feeds.page(new FeedScope.Community(did.get()), s, t, size, cursor, viewer);
        });
    }
}
