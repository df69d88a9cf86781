package social.coves.identity.xrpc;

import social.coves.identity.resolution.DidDocument;
import social.coves.identity.resolution.Identity;

import java.util.LinkedHashMap;
import java.util.Map;

/** Response shapes: the lexicon fields plus {@code signingKey} and {@code pds}, which our consumers need. */
final class IdentityViews {

    private IdentityViews() {
    }

    static Map<String, Object> identity(Identity identity) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("did", identity.did());
        view.put("handle", identity.handle());
        view.put("didDoc", identity.document().json());
        extras(view, identity.document());
        return view;
    }

    static Map<String, Object> didDoc(DidDocument document) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("didDoc", document.json());
        extras(view, document);
        return view;
    }

    private static void extras(Map<String, Object> view, DidDocument document) {
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
    }
}
