package social.coves.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.crypto.InvalidKeyException;
import social.coves.lexicon.crypto.Multikey;

/** Finds the {@code #atproto} signing key in a DID document (relative or absolute id, controller = the DID). */
final class AtprotoKey {

    private AtprotoKey() {
    }

    static Multikey fromDidDocument(String did, JsonNode doc) {
        if (!did.equals(doc.path("id").asText())) {
            throw new AuthException("BadJwtIss", "the DID document of " + did + " names another id");
        }
        for (JsonNode method : doc.path("verificationMethod")) {
            String id = method.path("id").asText();
            boolean atproto = id.equals("#atproto") || id.equals(did + "#atproto");
            String controller = method.path("controller").asText(did);
            if (atproto && controller.equals(did) && method.hasNonNull("publicKeyMultibase")) {
                try {
                    return Multikey.fromDidDocument(method.path("type").asText(), method.get("publicKeyMultibase").asText());
                } catch (InvalidKeyException e) {
                    throw new AuthException("BadJwtIss", "the #atproto key of " + did + " cannot be decoded: " + e.getMessage());
                }
            }
        }
        throw new AuthException("BadJwtIss", did + " has no #atproto signing key");
    }
}
