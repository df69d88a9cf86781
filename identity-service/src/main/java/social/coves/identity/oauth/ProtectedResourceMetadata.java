package social.coves.identity.oauth;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * What discovery takes from a PDS's {@code /.well-known/oauth-protected-resource} (RFC 9728): the resource it
 * describes and the first of its {@code authorization_servers}.
 */
record ProtectedResourceMetadata(String resource, String authorizationServer) {

    /**
     * Checks the document fetched from {@code origin}: {@code resource}, when present, must be that origin (RFC 9728
     * 3.3; a trailing {@code /} is tolerated); {@code authorization_servers} must be a non-empty array of strings whose
     * first entry is an acceptable origin in canonical form.
     */
    static ProtectedResourceMetadata read(JsonNode json, String origin, UrlRules rules) throws MetadataException {
        String resource = MetadataJson.optionalText(json, "resource").orElse(origin);
        if (!resource.equals(origin) && !resource.equals(origin + "/")) {
            throw new MetadataException("resource " + resource + " is not the PDS " + origin);
        }
        List<String> servers = MetadataJson.strings(json, "authorization_servers");
        if (servers.isEmpty()) {
            throw new MetadataException("authorization_servers is missing or empty");
        }
        String server = servers.get(0);
        Optional<String> problem = rules.originProblem(server);
        if (problem.isPresent()) {
            throw new MetadataException("authorization server is not acceptable: " + problem.get());
        }
        return new ProtectedResourceMetadata(origin, server);
    }
}
