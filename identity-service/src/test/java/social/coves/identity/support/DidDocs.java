package social.coves.identity.support;

import java.util.concurrent.atomic.AtomicLong;

/** Builds DID documents and fresh identifiers for tests. */
public final class DidDocs {

    private static final AtomicLong COUNTER = new AtomicLong(System.nanoTime() % 100_000);
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private DidDocs() {
    }

    /** A new, syntactically valid did:plc. */
    public static String newPlcDid() {
        long n = COUNTER.incrementAndGet();
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            id.append(BASE32.charAt((int) (n % 32)));
            n = n / 32 + 7L * i;
        }
        return "did:plc:" + id;
    }

    public static String unique(String prefix) {
        return prefix + COUNTER.incrementAndGet();
    }

    public static String document(String did, String handle, String keyType, String multibase) {
        String aka = handle == null ? "" : "\"at://" + handle + "\"";
        return """
                {"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],
                 "id":"%1$s",
                 "alsoKnownAs":[%2$s],
                 "verificationMethod":[{"id":"%1$s#atproto","type":"%3$s","controller":"%1$s","publicKeyMultibase":"%4$s"}],
                 "service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":"https://pds.example.com"}]}
                """.formatted(did, aka, keyType, multibase);
    }

    public static String document(String did, String handle) {
        return document(did, handle, "Multikey", "zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc");
    }
}
