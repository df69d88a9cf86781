package social.coves.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
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

    /**
     * Whether {@code https://{domain}/.well-known/atproto-did} names {@code did}, fetched under identity-service's SSRF
     * rules: always 200 {@code {verified, reason, message, domain, did}}.
     */
    @GET
    @Path("social.coves.identity.verifyWellKnownDid")
    Uni<JsonNode> verifyWellKnownDid(@QueryParam("domain") String domain, @QueryParam("did") String did);

    /** {@code {did, handle, didDoc, pds?}}: by DID the handle is the verified one or {@code handle.invalid}. */
    @GET
    @Path("com.atproto.identity.resolveIdentity")
    Uni<JsonNode> resolveIdentity(@QueryParam("identifier") String identifier);

    /**
     * A handle's or DID's identity plus its PDS's OAuth authorization server, fetched and checked under
     * identity-service's SSRF rules: {@code {did, handle, pds, authorizationServer: {issuer, authorizationEndpoint,
     * pushedAuthorizationRequestEndpoint, tokenEndpoint, revocationEndpoint?}}}.
     */
    @GET
    @Path("social.coves.identity.resolveOAuthServer")
    Uni<JsonNode> resolveOAuthServer(@QueryParam("identifier") String identifier);

    /** A procedure: {@code {"identifier": did}} in, the refreshed identity out. */
    @POST
    @Path("com.atproto.identity.refreshIdentity")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> refreshIdentity(Map<String, String> input);
}
