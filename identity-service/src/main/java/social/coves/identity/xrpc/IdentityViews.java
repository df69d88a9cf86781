package social.coves.identity.xrpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import social.coves.identity.resolution.DidDocument;
import social.coves.identity.resolution.Identity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response bodies, as JSON bytes: the lexicon fields plus {@code signingKey} and {@code pds}, which our consumers need.
 * The document part ({@code "didDoc", "signingKey", "pds"}) is serialised once per parsed document and kept as long as
 * the cache keeps that document, so a cache hit only writes the DID and handle in front of it.
 */
final class IdentityViews {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    /** Keyed by document identity (weak keys): an entry lives while the identity cache holds its document. */
    private static final Cache<DidDocument, byte[]> DOCUMENT_PARTS = Caffeine.newBuilder().weakKeys().maximumSize(500_000).build();

    private IdentityViews() {
    }

    /** {@code {"did", "handle", "didDoc", "signingKey"?, "pds"?}} */
    static byte[] identity(Identity identity) {
        byte[] document = documentPart(identity.document());
        ByteArrayOutputStream out = new ByteArrayOutputStream(document.length + 128);
        out.writeBytes(("{\"did\":" + quote(identity.did()) + ",\"handle\":" + quote(identity.handle()) + ",")
                .getBytes(StandardCharsets.UTF_8));
        out.write(document, 1, document.length - 1);   // the document part without its opening brace
        return out.toByteArray();
    }

    /** {@code {"didDoc", "signingKey"?, "pds"?}} */
    static byte[] didDoc(DidDocument document) {
        return documentPart(document);
    }

    /** {@code {"did"}} */
    static byte[] handle(String did) {
        return ("{\"did\":" + quote(did) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] documentPart(DidDocument document) {
        return DOCUMENT_PARTS.get(document, IdentityViews::serialise);
    }

    private static byte[] serialise(DidDocument document) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("didDoc", document.json());
        document.signingKey().ifPresent(key -> {
            Map<String, Object> signingKey = new LinkedHashMap<>();
            signingKey.put("id", key.id());
            signingKey.put("type", key.type());
            signingKey.put("publicKeyMultibase", key.publicKeyMultibase());
            signingKey.put("jwtAlg", key.jwtAlg());
            signingKey.put("didKey", key.key().toDidKey());
            view.put("signingKey", signingKey);
        });
        document.pdsEndpoint().ifPresent(pds -> view.put("pds", pds));
        try {
            return MAPPER.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the DID document of " + document.did(), e);
        }
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
