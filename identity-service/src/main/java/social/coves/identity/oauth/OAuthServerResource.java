package social.coves.identity.oauth;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Internal endpoint for the API's OAuth client: {@code GET /xrpc/social.coves.identity.resolveOAuthServer?identifier=}
 * (handle or DID). 200 {@code {did, handle, pds, authorizationServer}}; errors are the service's {@code {error,
 * message}} bodies (see the module README). Blocking: it runs on a worker thread.
 */
@Path("/xrpc/social.coves.identity.resolveOAuthServer")
public class OAuthServerResource {

    private final OAuthServerResolver resolver;

    public OAuthServerResource(OAuthServerResolver resolver) {
        this.resolver = resolver;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public OAuthServer resolve(@QueryParam("identifier") String identifier) {
        return resolver.resolve(identifier);
    }
}
