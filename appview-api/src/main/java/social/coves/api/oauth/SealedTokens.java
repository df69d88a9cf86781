package social.coves.api.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.auth.AuthException;
import social.coves.api.secrets.SecretBox;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * The opaque token a signed-in app holds: AES-256-GCM (the API's sealing keys) over {@code {did, sid, exp}},
 * base64url. It names a session, it does not carry any OAuth token. A JWT has dots; a sealed token never does.
 */
@ApplicationScoped
public class SealedTokens {

    private static final String CONTEXT = "coves-sealed-session-token";

    /** What a sealed token says. */
    public record Claims(String did, String sessionId, Instant expiresAt) {
    }

    private final SecretBox box;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    public SealedTokens(SecretBox box, ObjectMapper json) {
        this.box = box;
        this.json = json;
    }

    /** Whether a bearer value has a sealed token's shape (and so is not a service-auth JWT or an API key). */
    public static boolean looksSealed(String token) {
        return token.length() >= 40 && token.indexOf('.') < 0 && !token.startsWith("ckapi_")
                && token.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

    public String seal(String did, String sessionId, Instant expiresAt) {
        String claims = json.createObjectNode().put("did", did).put("sid", sessionId)
                .put("exp", expiresAt.getEpochSecond()).toString();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(box.seal(claims, CONTEXT));
    }

    /** The claims of a token that opens and has not expired; 401 {@code InvalidToken} / {@code ExpiredToken} otherwise. */
    public Claims open(String token) {
        Claims claims = openIgnoringExpiry(token);
        if (!claims.expiresAt().isAfter(clock.instant())) {
            throw new AuthException("ExpiredToken", "the session token expired at " + claims.expiresAt()
                    + "; refresh it with POST /oauth/refresh or sign in again");
        }
        return claims;
    }

    /** The claims of a token that opens, expired or not (refresh accepts an expired one for its own session). */
    public Claims openIgnoringExpiry(String token) {
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        try {
            JsonNode claims = json.readTree(box.open(sealed, CONTEXT));
            if (!claims.path("did").isTextual() || !claims.path("sid").isTextual() || !claims.path("exp").canConvertToLong()) {
                throw invalid();
            }
            return new Claims(claims.path("did").asText(), claims.path("sid").asText(),
                    Instant.ofEpochSecond(claims.path("exp").asLong()));
        } catch (RuntimeException | IOException e) {
            // anything that does not open is refused alike: a bad tag, an unknown key id, a truncated or crafted layout
            throw invalid();
        }
    }

    private static AuthException invalid() {
        return new AuthException("InvalidToken", "the session token is not one this AppView issued (or it was altered)");
    }
}
