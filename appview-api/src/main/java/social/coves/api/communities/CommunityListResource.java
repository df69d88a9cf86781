package social.coves.api.communities;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import social.coves.api.auth.ServiceAuthVerifier;
import social.coves.api.auth.Viewer;
import social.coves.api.feeds.PageSize;
import social.coves.api.xrpc.QueryParams;
import social.coves.api.xrpc.XrpcException;

import java.util.Optional;
import java.util.Set;

/** {@code social.coves.community.list}, {@code .search} and {@code .getSubscribers}. */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
public class CommunityListResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;
    static final int MAX_QUERY = 256;
    private static final Set<String> VISIBILITIES = Set.of("public", "unlisted", "private");

    private final CommunityListQueries listings;
    private final CommunityQueries communities;
    private final ServiceAuthVerifier auth;

    public CommunityListResource(CommunityListQueries listings, CommunityQueries communities, ServiceAuthVerifier auth) {
        this.listings = listings;
        this.communities = communities;
        this.auth = auth;
    }

    /** {@code category} and {@code language} are accepted and ignored (not indexed), as Coves does. */
    @GET
    @Path("social.coves.community.list")
    public Uni<CommunityPages.Listing> list(@QueryParam("sort") String sort, @QueryParam("visibility") String visibility,
                                           @QueryParam("subscribed") String subscribed, @QueryParam("limit") String limit,
                                           @QueryParam("cursor") String cursor, @HeaderParam("Authorization") String authorization) {
        CommunityListSort s = CommunityListSort.parse(sort);
        Optional<String> vis = visibility(visibility);
        boolean onlySubscribed = QueryParams.bool("subscribed", subscribed, false);
        int size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        String nsid = "social.coves.community.list";
        Uni<Optional<Viewer>> viewer = onlySubscribed ? auth.required(authorization, nsid).map(Optional::of)
                : auth.optional(authorization, nsid);
        return viewer.chain(v -> listings.list(s, vis, onlySubscribed, size, cursor, v.map(Viewer::did)));
    }

    @GET
    @Path("social.coves.community.search")
    public Uni<CommunityPages.Search> search(@QueryParam("q") String q, @QueryParam("visibility") String visibility,
                                             @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        if (q == null || q.isBlank()) {
            throw XrpcException.invalidRequest("q is required");
        }
        String query = q.trim();
        if (query.length() > MAX_QUERY) {
            throw XrpcException.invalidRequest("q must be at most " + MAX_QUERY + " characters");
        }
        Optional<String> vis = visibility(visibility);
        int size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        return listings.search(query, vis, size, cursor);
    }

    @GET
    @Path("social.coves.community.getSubscribers")
    public Uni<CommunityPages.Subscribers> getSubscribers(@QueryParam("community") String community, @QueryParam("limit") String limit,
                                                          @QueryParam("cursor") String cursor) {
        CommunityIdentifier id = CommunityIdentifier.parse(community);
        int size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        return communities.resolveDid(id).chain(did -> {
            if (did.isEmpty()) {
                throw XrpcException.notFound("NotFound", "community not found: " + community);
            }
            return listings.subscribers(did.get(), size, cursor);
        });
    }

    private static Optional<String> visibility(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        if (!VISIBILITIES.contains(raw)) {
            throw XrpcException.invalidRequest("visibility must be public, unlisted or private");
        }
        return Optional.of(raw);
    }
}
