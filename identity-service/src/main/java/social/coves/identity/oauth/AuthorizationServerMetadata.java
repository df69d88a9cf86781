package social.coves.identity.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * An authorization server's {@code /.well-known/oauth-authorization-server} (RFC 8414) as the API needs it, after the
 * atproto OAuth profile's checks; also the {@code authorizationServer} part of the resolveOAuthServer answer
 * ({@code revocationEndpoint} left out when the server has none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthorizationServerMetadata(String issuer, String authorizationEndpoint,
                                          String pushedAuthorizationRequestEndpoint, String tokenEndpoint,
                                          String revocationEndpoint, List<String> dpopSigningAlgValues,
                                          List<String> scopesSupported) {

    /**
     * Checks the document fetched from {@code issuerUrl}: {@code issuer} equals it exactly; the authorization, token
     * and PAR endpoints (and the revocation endpoint, when present) are acceptable URLs; PAR is required; the
     * {@code iss} response parameter and client-ID metadata documents are supported; S256, ES256 DPoP proofs,
     * {@code private_key_jwt} and the {@code atproto} scope are offered.
     */
    static AuthorizationServerMetadata read(JsonNode json, String issuerUrl, UrlRules rules) throws MetadataException {
        String issuer = MetadataJson.requiredText(json, "issuer");
        if (!issuer.equals(issuerUrl)) {
            throw new MetadataException("issuer " + issuer + " is not the authorization server URL " + issuerUrl);
        }
        String authorization = endpoint(json, "authorization_endpoint", rules);
        String token = endpoint(json, "token_endpoint", rules);
        String par = endpoint(json, "pushed_authorization_request_endpoint", rules);
        String revocation = MetadataJson.optionalText(json, "revocation_endpoint").isPresent()
                ? endpoint(json, "revocation_endpoint", rules) : null;
        MetadataJson.requireTrue(json, "require_pushed_authorization_requests");
        MetadataJson.requireTrue(json, "authorization_response_iss_parameter_supported");
        MetadataJson.requireTrue(json, "client_id_metadata_document_supported");
        MetadataJson.requireContains(json, "code_challenge_methods_supported", "S256");
        List<String> dpop = MetadataJson.requireContains(json, "dpop_signing_alg_values_supported", "ES256");
        MetadataJson.requireContains(json, "token_endpoint_auth_methods_supported", "private_key_jwt");
        List<String> scopes = MetadataJson.requireContains(json, "scopes_supported", "atproto");
        return new AuthorizationServerMetadata(issuer, authorization, par, token, revocation, dpop, scopes);
    }

    private static String endpoint(JsonNode json, String field, UrlRules rules) throws MetadataException {
        String url = MetadataJson.requiredText(json, field);
        Optional<String> problem = rules.endpointProblem(url);
        if (problem.isPresent()) {
            throw new MetadataException(field + " is not acceptable: " + problem.get());
        }
        return url;
    }
}
