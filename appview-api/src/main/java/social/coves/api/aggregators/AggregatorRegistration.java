package social.coves.api.aggregators;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import social.coves.api.auth.IdentityServiceClient;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.syntax.DidMethodRules;

import java.time.Duration;

/**
 * {@code social.coves.aggregator.register}: an aggregator proves it controls its DID by serving exactly that DID at
 * {@code https://{domain}/.well-known/atproto-did}. identity-service does the fetch (https only, public addresses,
 * no redirects, size cap, timeouts) and resolves the DID; nothing here dials the domain itself.
 */
@ApplicationScoped
public class AggregatorRegistration {

    /** The lexicon's output. */
    public record Registered(String did, String handle, String message) {
    }

    private static final Duration IDENTITY_WAIT = Duration.ofSeconds(15);

    private final IdentityServiceClient identity;
    private final AggregatorStore store;

    public AggregatorRegistration(@RestClient IdentityServiceClient identity, AggregatorStore store) {
        this.identity = identity;
        this.store = store;
    }

    public Registered register(String did, String domain) {
        if (!(did.startsWith("did:plc:") || did.startsWith("did:web:")) || !DidMethodRules.isValid(did)) {
            throw new XrpcException(400, "InvalidDID", "did must be a valid did:plc or did:web, got " + did);
        }
        if (store.isRegistered(did)) {
            throw new XrpcException(409, "AlreadyRegistered", did + " is registered with this instance already");
        }
        JsonNode verdict = call(() -> identity.verifyWellKnownDid(domain, did).await().atMost(IDENTITY_WAIT), "could not check the domain");
        if (!verdict.path("verified").asBoolean(false)) {
            String reason = verdict.path("reason").asText("");
            String message = verdict.path("message").asText("");
            switch (reason) {
                case "InvalidDid" -> throw new XrpcException(400, "InvalidDID", message);
                case "InvalidDomain" -> throw XrpcException.invalidRequest("domain: " + message);
                default -> throw new XrpcException(401, "DomainVerificationFailed",
                        "https://" + verdict.path("domain").asText(domain) + "/.well-known/atproto-did does not prove " + did
                                + " (" + reason + "): " + message);
            }
        }
        String verifiedDomain = verdict.path("domain").asText(domain);
        JsonNode resolved = call(() -> identity.resolveDid(did).await().atMost(IDENTITY_WAIT), "could not resolve " + did);
        String handle = handleOf(resolved);
        if (!store.register(did, verifiedDomain, handle)) {
            throw new XrpcException(409, "AlreadyRegistered", did + " is registered with this instance already");
        }
        return new Registered(did, handle == null ? "handle.invalid" : handle, "Registered " + did + " (" + verifiedDomain + "). "
                + "Next: publish a social.coves.aggregator.service record (rkey self) in its repository, ask communities to "
                + "authorise it, then create an API key with social.coves.aggregator.createApiKey.");
    }

    /**
     * The handle "extracted from the DID document", as the lexicon says: the verified one when identity-service could
     * verify it, else the document's own {@code at://} claim (shown, never trusted for anything).
     */
    static String handleOf(JsonNode identity) {
        String verified = identity.path("handle").asText("");
        if (!verified.isEmpty() && !verified.equals("handle.invalid")) {
            return verified;
        }
        for (JsonNode alias : identity.path("didDoc").path("alsoKnownAs")) {
            if (alias.asText("").startsWith("at://")) {
                return alias.asText().substring("at://".length());
            }
        }
        return null;
    }

    /** An identity-service call: a 4xx means the DID does not resolve, anything else is an upstream failure. */
    private static JsonNode call(java.util.function.Supplier<JsonNode> request, String what) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 400 && status < 500) {
                throw new XrpcException(400, "DIDResolutionFailed", what + ": identity-service answered " + status);
            }
            throw new XrpcException(502, "DIDResolutionFailed", what + ": identity-service answered " + status);
        } catch (XrpcException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new XrpcException(502, "UpstreamFailure", what + ": identity-service did not answer (" + e.getClass().getSimpleName() + ")");
        }
    }
}
