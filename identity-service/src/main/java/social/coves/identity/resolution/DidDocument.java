package social.coves.identity.resolution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import social.coves.lexicon.crypto.InvalidKeyException;
import social.coves.lexicon.crypto.Multikey;
import social.coves.lexicon.syntax.Handle;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of a DID document atproto uses: the claimed handle (first valid {@code at://} alias), the
 * {@code #atproto} signing key (Multikey or a legacy suite, controller = the DID) and the {@code #atproto_pds}
 * endpoint. Keys and services are matched by relative ({@code #atproto}) or absolute ({@code did#atproto}) id.
 */
public record DidDocument(String did, JsonNode json, Optional<String> claimedHandle, Optional<SigningKey> signingKey,
                          Optional<String> pdsEndpoint) {

    public record SigningKey(String id, String type, String publicKeyMultibase, Multikey key) {
        public String jwtAlg() {
            return key.algorithm().jwtAlg();
        }
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(64 * 1024).build());
    }

    /** @throws InvalidDocumentException when the JSON is malformed or its {@code id} is not {@code expectedDid} */
    public static DidDocument parse(String expectedDid, String text) {
        JsonNode json;
        try {
            json = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidDocumentException("DID document is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new InvalidDocumentException("DID document is not a JSON object");
        }
        String id = json.path("id").asText("");
        if (!id.equals(expectedDid)) {
            throw new InvalidDocumentException("DID document id \"" + id + "\" is not " + expectedDid);
        }
        return new DidDocument(expectedDid, json, claimedHandle(json), signingKey(expectedDid, json), pds(expectedDid, json));
    }

    private static Optional<String> claimedHandle(JsonNode json) {
        for (JsonNode alias : json.path("alsoKnownAs")) {
            String text = alias.asText("");
            if (text.startsWith("at://")) {
                String handle = text.substring(5);
                if (Handle.isValid(handle)) {
                    return Optional.of(handle.toLowerCase(Locale.ROOT));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<SigningKey> signingKey(String did, JsonNode json) {
        for (JsonNode method : json.path("verificationMethod")) {
            String id = method.path("id").asText("");
            if (!matchesFragment(did, id, "#atproto")) {
                continue;
            }
            String controller = method.path("controller").asText(did);
            String type = method.path("type").asText("");
            String multibase = method.path("publicKeyMultibase").asText("");
            if (!controller.equals(did) || multibase.isEmpty()) {
                continue;
            }
            try {
                return Optional.of(new SigningKey(id, type, multibase, Multikey.fromDidDocument(type, multibase)));
            } catch (InvalidKeyException | IllegalArgumentException e) {
                // an unusable key entry is ignored; the next #atproto entry may still be valid
            }
        }
        return Optional.empty();
    }

    private static Optional<String> pds(String did, JsonNode json) {
        for (JsonNode service : json.path("service")) {
            if (!matchesFragment(did, service.path("id").asText(""), "#atproto_pds")
                    || !"AtprotoPersonalDataServer".equals(service.path("type").asText())) {
                continue;
            }
            JsonNode endpoint = service.path("serviceEndpoint");
            if (endpoint.isTextual() && isHttpOrigin(endpoint.asText())) {
                return Optional.of(endpoint.asText());
            }
        }
        return Optional.empty();
    }

    private static boolean matchesFragment(String did, String id, String fragment) {
        return id.equals(fragment) || id.equals(did + fragment);
    }

    private static boolean isHttpOrigin(String url) {
        try {
            URI uri = URI.create(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static final class InvalidDocumentException extends RuntimeException {
        public InvalidDocumentException(String message) {
            super(message);
        }
    }
}
