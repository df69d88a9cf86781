package social.coves.api.communities;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import social.coves.api.xrpc.XrpcException;

/** {@code social.coves.community.*} queries. */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
public class CommunityResource {

    private final CommunityQueries queries;

    public CommunityResource(CommunityQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("social.coves.community.get")
    public Uni<CommunityViewDetailed> get(@QueryParam("community") String community) {
        CommunityIdentifier id = CommunityIdentifier.parse(community);
        return queries.find(id).map(found -> found.orElseThrow(
                () -> XrpcException.notFound("NotFound", "community not found: " + community)));
    }
}
