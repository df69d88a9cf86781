package social.coves.identity.xrpc;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import social.coves.identity.resolution.IdentityService;

import java.util.Map;

/** {@code com.atproto.identity.*} as the lexicons define them; unknown methods answer 501 MethodNotImplemented. */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
public class IdentityXrpc {

    private final IdentityService identities;

    public IdentityXrpc(IdentityService identities) {
        this.identities = identities;
    }

    @GET
    @Path("com.atproto.identity.resolveHandle")
    public Map<String, Object> resolveHandle(@QueryParam("handle") String handle) {
        return Map.of("did", identities.resolveHandle(handle));
    }

    @GET
    @Path("com.atproto.identity.resolveDid")
    public Map<String, Object> resolveDid(@QueryParam("did") String did) {
        return IdentityViews.didDoc(identities.resolveDid(did));
    }

    @GET
    @Path("com.atproto.identity.resolveIdentity")
    public Map<String, Object> resolveIdentity(@QueryParam("identifier") String identifier) {
        return IdentityViews.identity(identities.resolveIdentity(identifier));
    }

    @POST
    @Path("com.atproto.identity.refreshIdentity")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> refreshIdentity(JsonNode body) {
        String identifier = body == null ? null : body.path("identifier").asText(null);
        return IdentityViews.identity(identities.refreshIdentity(identifier));
    }

    @GET
    @Path("{nsid}")
    public Response unknownQuery(@PathParam("nsid") String nsid) {
        return XrpcErrors.body(501, "MethodNotImplemented", "method not implemented: " + nsid);
    }

    @POST
    @Path("{nsid}")
    public Response unknownProcedure(@PathParam("nsid") String nsid) {
        return XrpcErrors.body(501, "MethodNotImplemented", "method not implemented: " + nsid);
    }
}
