package social.coves.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A parsed (not yet verified) atproto service-auth JWT. The signing input is kept as the original ASCII segments,
 * never re-serialised.
 */
public record ServiceJwt(String alg, String typ, String kid, String iss, String aud, Long exp, Long iat, String lxm,
                         String jti, byte[] signingInput, byte[] signature) {

    /** Tokens larger than this are refused before parsing. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static ServiceJwt parse(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthException("BadJwt", "token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new AuthException("BadJwt", "a service-auth token is a JWT with three base64url segments");
        }
        JsonNode header = json(parts[0], "header");
        JsonNode payload = json(parts[1], "payload");
        byte[] signature = base64url(parts[2], "signature");
        return new ServiceJwt(text(header, "alg"), text(header, "typ"), text(header, "kid"),
                text(payload, "iss"), text(payload, "aud"), number(payload, "exp"), number(payload, "iat"),
                text(payload, "lxm"), text(payload, "jti"),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature);
    }

    private static JsonNode json(String segment, String what) {
        try {
            JsonNode node = MAPPER.readTree(base64url(segment, what));
            if (node == null || !node.isObject()) {
                throw new AuthException("BadJwt", "JWT " + what + " is not a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new AuthException("BadJwt", "JWT " + what + " is not JSON");
        }
    }

    private static byte[] base64url(String segment, String what) {
        if (segment.indexOf('=') >= 0) {
            throw new AuthException("BadJwt", "JWT " + what + " must be unpadded base64url");
        }
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            throw new AuthException("BadJwt", "JWT " + what + " is not base64url");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static Long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isIntegralNumber() ? v.asLong() : null;
    }
}
