package social.coves.api.cursor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import social.coves.api.xrpc.XrpcException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Opaque, signed keyset cursors: {@code base64url(kind \u001f value \u001f value ... \u001f hmac)}. The kind (e.g.
 * {@code community-hot}) ties a cursor to one listing and sort; the HMAC-SHA256 (key {@code coves.api.cursor-secret})
 * makes any tampering a 400 {@code InvalidRequest} ("invalid cursor: …"). To rotate the key without breaking the cursors clients hold, move
 * the old key to {@code coves.api.cursor-previous-secret}: cursors signed with it are still accepted, new cursors are
 * signed with the new key only. Remove it once the old cursors are no longer in use (they carry no expiry).
 */
@ApplicationScoped
public class CursorCodec {

    private static final char SEP = '\u001f';
    private static final int MAX_LENGTH = 2048;

    private final SecretKeySpec key;
    private final Optional<SecretKeySpec> previousKey;

    @Inject
    public CursorCodec(@ConfigProperty(name = "coves.api.cursor-secret") String secret,
                       @ConfigProperty(name = "coves.api.cursor-previous-secret") Optional<String> previousSecret) {
        this.key = hmacKey(secret);
        this.previousKey = previousSecret.filter(s -> !s.isBlank()).map(CursorCodec::hmacKey);
    }

    public CursorCodec(String secret) {
        this(secret, Optional.empty());
    }

    private static SecretKeySpec hmacKey(String secret) {
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String encode(String kind, List<String> values) {
        StringBuilder payload = new StringBuilder(kind);
        for (String v : values) {
            if (v.indexOf(SEP) >= 0) {
                throw new IllegalArgumentException("cursor values cannot contain the separator");
            }
            payload.append(SEP).append(v);
        }
        String signed = payload + String.valueOf(SEP) + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, payload.toString()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(signed.getBytes(StandardCharsets.UTF_8));
    }

    /** The values of a cursor made by {@link #encode} for {@code kind}; anything else is a 400 {@code InvalidRequest}. */
    public List<String> decode(String kind, String cursor, int expectedValues) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        String signed;
        try {
            signed = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        int lastSep = signed.lastIndexOf(SEP);
        if (lastSep < 0) {
            throw invalid();
        }
        String payload = signed.substring(0, lastSep);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signed.substring(lastSep + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        boolean signedByUs = MessageDigest.isEqual(given, mac(key, payload))
                || previousKey.map(previous -> MessageDigest.isEqual(given, mac(previous, payload))).orElse(false);
        if (!signedByUs) {
            throw invalid();
        }
        List<String> parts = Arrays.asList(payload.split(String.valueOf(SEP), -1));
        if (!parts.getFirst().equals(kind) || parts.size() != expectedValues + 1) {
            throw invalid("it belongs to another listing or sort");
        }
        return parts.subList(1, parts.size());
    }

    private static byte[] mac(SecretKeySpec key, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static XrpcException invalid() {
        return invalid("it is malformed or was not issued by this AppView");
    }

    /**
     * A cursor the API cannot use: 400 {@code InvalidRequest} (XRPC's name for a bad parameter; lexicons that declare
     * their errors declare no cursor error), with what is wrong in the message.
     */
    public static XrpcException invalid(String why) {
        return XrpcException.invalidRequest("invalid cursor: " + why + "; start again without a cursor");
    }
}
