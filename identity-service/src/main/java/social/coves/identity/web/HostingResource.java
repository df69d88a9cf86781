package social.coves.identity.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Internal endpoint for the indexer: {@code GET /xrpc/social.coves.identity.verifyHosting?handle=&hostedBy=}.
 * Always 200 with {@code {verified, reason, message, handle, hostedBy, domain}}; a "no" is an answer, not an error.
 */
@Path("/xrpc/social.coves.identity.verifyHosting")
public class HostingResource {

    private final HostingVerifier verifier;

    public HostingResource(HostingVerifier verifier) {
        this.verifier = verifier;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public HostingVerdict verify(@QueryParam("handle") String handle, @QueryParam("hostedBy") String hostedBy) {
        return verifier.verify(handle, hostedBy);
    }
}
