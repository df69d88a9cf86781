package social.coves.api.oauth;

import com.nimbusds.jose.jwk.ECKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random identifiers, hashes of secrets we compare, and DPoP keys read back from their sealed JWK. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey ecKey(String jwk) {
        try {
            return ECKey.parse(jwk);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("a stored DPoP key does not parse", e);
        }
    }
}
