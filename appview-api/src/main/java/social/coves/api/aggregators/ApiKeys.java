package social.coves.api.aggregators;

import social.coves.api.auth.AuthException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Aggregator API keys: {@code ckapi_} and 32 random bytes as 64 lower-case hex characters. Only the SHA-256 of a key
 * and its first 12 characters are ever stored; the key itself is shown once, when it is made.
 */
public final class ApiKeys {

    public static final String PREFIX = "ckapi_";
    static final int SHOWN_PREFIX_LENGTH = 12;
    private static final Pattern FORMAT = Pattern.compile("ckapi_[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + HexFormat.of().formatHex(bytes);
    }

    /** Whether an {@code Authorization} header carries an API key rather than a JWT. */
    public static boolean isApiKey(String authorization) {
        return authorization != null && token(authorization).startsWith(PREFIX);
    }

    /** The key of an {@code Authorization: Bearer ckapi_…} header, checked for shape; 401 when malformed. */
    static String keyOf(String authorization) {
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthException("InvalidToken", "send an API key as Authorization: Bearer ckapi_<64 hex characters>");
        }
        String key = value.substring(7).trim();
        if (!FORMAT.matcher(key).matches()) {
            throw new AuthException("InvalidToken", "malformed API key: expected ckapi_ followed by 64 lower-case hex characters");
        }
        return key;
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String shownPrefix(String key) {
        return key.substring(0, SHOWN_PREFIX_LENGTH);
    }

    private static String token(String authorization) {
        String value = authorization.trim();
        int space = value.indexOf(' ');
        return space < 0 ? value : value.substring(space + 1).trim();
    }
}
