package social.coves.api.oauth;

import java.time.Instant;

/** A signed-in user's OAuth session as stored: tokens and the DPoP key sealed, the servers' latest nonces. */
public record UserSession(String sessionId, String did, String handle, String pdsUrl, String issuer, String tokenEndpoint,
                          String revocationEndpoint, String scope, byte[] accessSealed, byte[] refreshSealed,
                          Instant accessExpiresAt, byte[] dpopKeySealed, String asNonce, String pdsNonce,
                          Instant expiresAt, Instant revokedAt) {

    public String sealContext(String column) {
        return sealContext(sessionId, column);
    }

    /** Associated data of a sealed column: a ciphertext copied into another session or column does not open. */
    public static String sealContext(String sessionId, String column) {
        return "oauth-session:" + sessionId + ":" + column;
    }

    /** The same session with new tokens (and the server's newest nonce), as a refresh stores it. */
    public UserSession withTokens(byte[] access, byte[] refresh, Instant accessExpires, String scope, String asNonce) {
        return new UserSession(sessionId, did, handle, pdsUrl, issuer, tokenEndpoint, revocationEndpoint, scope, access,
                refresh, accessExpires, dpopKeySealed, asNonce, pdsNonce, expiresAt, revokedAt);
    }

    public UserSession withExpiry(Instant newExpiry) {
        return new UserSession(sessionId, did, handle, pdsUrl, issuer, tokenEndpoint, revocationEndpoint, scope, accessSealed,
                refreshSealed, accessExpiresAt, dpopKeySealed, asNonce, pdsNonce, newExpiry, revokedAt);
    }

    public UserSession revokedNow(String asNonce) {
        return new UserSession(sessionId, did, handle, pdsUrl, issuer, tokenEndpoint, revocationEndpoint, scope, accessSealed,
                refreshSealed, accessExpiresAt, dpopKeySealed, asNonce, pdsNonce, expiresAt, Instant.now());
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
