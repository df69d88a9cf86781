package social.coves.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** identity-service's XRPC ({@code quarkus.rest-client.identity.url}). */
@RegisterRestClient(configKey = "identity")
@Path("/xrpc")
public interface IdentityServiceClient {

    @GET
    @Path("com.atproto.identity.resolveDid")
    Uni<JsonNode> resolveDid(@QueryParam("did") String did);

    @GET
    @Path("com.atproto.identity.refreshIdentity")
    Uni<JsonNode> refreshIdentity(@QueryParam("identifier") String identifier);
}
