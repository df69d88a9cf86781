package social.coves.api.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import social.coves.api.auth.IdentityServiceClient;
import social.coves.api.xrpc.XrpcException;

import java.time.Duration;

/**
 * What sign-in asks identity-service (every fetch it implies happens there, under its SSRF rules): who an identifier
 * is and where their authorization server is; and, after the callback, the DID's handle checked both ways. Signed-in
 * users' writes ask it whose a handle is (a user blocked by handle).
 */
@ApplicationScoped
public class IdentityLookups {

    private static final Duration WAIT = Duration.ofSeconds(15);

    /** An identity and its authorization server. */
    public record Found(String did, String handle, String pds, AuthorizationServer server) {
    }

    private final IdentityServiceClient identity;

    public IdentityLookups(@RestClient IdentityServiceClient identity) {
        this.identity = identity;
    }

    public Found oauthServer(String identifier) {
        JsonNode answer = call(identity.resolveOAuthServer(identifier), "could not find the sign-in server of " + identifier);
        JsonNode as = answer.path("authorizationServer");
        String revocation = as.path("revocationEndpoint").isTextual() ? as.path("revocationEndpoint").asText() : null;
        return new Found(answer.path("did").asText(), answer.path("handle").asText("handle.invalid"), answer.path("pds").asText(),
                new AuthorizationServer(as.path("issuer").asText(), as.path("authorizationEndpoint").asText(),
                        as.path("pushedAuthorizationRequestEndpoint").asText(), as.path("tokenEndpoint").asText(), revocation));
    }

    /** The DID's handle if it verifies both ways, else {@code handle.invalid}. */
    public String verifiedHandle(String did) {
        return call(identity.resolveIdentity(did), "could not verify the handle of " + did).path("handle").asText("handle.invalid");
    }

    /** The DID a handle names, as identity-service resolves it. */
    public String did(String handle) {
        return call(identity.resolveIdentity(handle), "could not resolve the handle " + handle).path("did").asText();
    }

    /** identity-service's own XRPC error passes through with its status (4xx) or as 502 (anything else). */
    private static JsonNode call(Uni<JsonNode> request, String what) {
        try {
            return request.await().atMost(WAIT);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            JsonNode body = errorBody(e);
            String error = body == null ? "" : body.path("error").asText("");
            String message = body == null ? "" : body.path("message").asText("");
            if (status >= 400 && status < 500) {
                throw new XrpcException(400, error.isEmpty() ? "InvalidRequest" : error, what + ": " + message);
            }
            throw new XrpcException(502, "UpstreamFailure", what + ": " + (message.isEmpty() ? "identity-service answered " + status : message));
        } catch (XrpcException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new XrpcException(502, "UpstreamFailure", what + ": identity-service did not answer (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static JsonNode errorBody(WebApplicationException e) {
        try {
            return e.getResponse().readEntity(JsonNode.class);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
