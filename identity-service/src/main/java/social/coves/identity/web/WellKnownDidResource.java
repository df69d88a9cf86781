package social.coves.identity.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import social.coves.identity.resolution.IdentityError;

/**
 * Internal endpoint for the API's aggregator registration:
 * {@code GET /xrpc/social.coves.identity.verifyWellKnownDid?domain=&did=}. Always 200 with
 * {@code {verified, reason, message, domain, did}} (a "no" is an answer, not an error); only a missing parameter is
 * a 400 {@code InvalidRequest}. Blocking: it runs on a worker thread.
 */
@Path("/xrpc/social.coves.identity.verifyWellKnownDid")
public class WellKnownDidResource {

    private final WellKnownDidVerifier verifier;

    public WellKnownDidResource(WellKnownDidVerifier verifier) {
        this.verifier = verifier;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public WellKnownDidVerdict verify(@QueryParam("domain") String domain, @QueryParam("did") String did) {
        if (domain == null || domain.isEmpty()) {
            throw new IdentityError(IdentityError.Kind.INVALID_REQUEST, "domain is required");
        }
        if (did == null || did.isEmpty()) {
            throw new IdentityError(IdentityError.Kind.INVALID_REQUEST, "did is required");
        }
        return verifier.verify(domain, did);
    }
}
