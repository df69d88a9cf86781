package social.coves.identity.oauth;

import jakarta.enterprise.context.ApplicationScoped;
import social.coves.identity.metrics.IdentityMetrics;
import social.coves.identity.resolution.Identity;
import social.coves.identity.resolution.IdentityError;
import social.coves.identity.resolution.IdentityService;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * atproto OAuth discovery for the API: identifier → identity ({@link IdentityService}, the resolveIdentity rules) →
 * {@code #atproto_pds} → the PDS's protected-resource metadata → its first authorization server → that server's
 * metadata, every document fetched and checked by {@link MetadataDocuments}.
 */
@ApplicationScoped
public class OAuthServerResolver {

    private final IdentityService identities;
    private final MetadataDocuments documents;
    private final IdentityMetrics metrics;

    public OAuthServerResolver(IdentityService identities, MetadataDocuments documents, IdentityMetrics metrics) {
        this.identities = identities;
        this.documents = documents;
        this.metrics = metrics;
    }

    public OAuthServer resolve(String identifier) {
        try {
            OAuthServer server = discover(identifier);
            metrics.oauthServerLookup("found");
            return server;
        } catch (IdentityError e) {
            metrics.oauthServerLookup(e.kind().name().toLowerCase(Locale.ROOT));
            throw e;
        }
    }

    private OAuthServer discover(String identifier) {
        if (identifier == null || identifier.isBlank()) {
            throw new IdentityError(IdentityError.Kind.INVALID_REQUEST, "identifier is required");
        }
        Identity identity = identities.resolveIdentity(identifier);
        String endpoint = identity.document().pdsEndpoint().orElseThrow(() -> new IdentityError(IdentityError.Kind.NO_PDS,
                identity.did() + " names no #atproto_pds service in its DID document"));
        String pds = pdsOrigin(identity.did(), endpoint);
        ProtectedResourceMetadata resource = documents.protectedResource(pds);
        AuthorizationServerMetadata server = documents.authorizationServer(resource.authorizationServer());
        return new OAuthServer(identity.did(), identity.handle(), pds, server);
    }

    private String pdsOrigin(String did, String endpoint) {
        Optional<String> problem = documents.rules().endpointProblem(endpoint);
        if (problem.isPresent()) {
            throw new IdentityError(IdentityError.Kind.UPSTREAM_FAILURE,
                    "the #atproto_pds endpoint of " + did + " is not acceptable: " + problem.get());
        }
        return UrlRules.origin(URI.create(endpoint));
    }
}
