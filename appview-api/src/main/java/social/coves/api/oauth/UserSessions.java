package social.coves.api.oauth;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import social.coves.api.auth.AuthException;
import social.coves.api.secrets.SecretBox;

import java.time.Instant;

/**
 * Signed-in users' sessions after sign-in: a valid access token to act with (refreshed with rotation when it is about
 * to expire, one refresh at a time per session across every replica), a new sealed token for the app, logout.
 */
@ApplicationScoped
public class UserSessions {

    private static final Logger LOG = Logger.getLogger(UserSessions.class);

    /** What acting as the user needs: the session row, its access token and its DPoP key. */
    public record Acting(UserSession session, String accessToken, ECKey dpopKey) {
    }

    private final OAuthStore store;
    private final TokenGrants tokens;
    private final SecretBox box;
    private final SealedTokens sealed;
    private final OAuthConfig config;
    private final MeterRegistry meters;

    public UserSessions(OAuthStore store, TokenGrants tokens, SecretBox box, SealedTokens sealed, OAuthConfig config,
                        MeterRegistry meters) {
        this.store = store;
        this.tokens = tokens;
        this.box = box;
        this.sealed = sealed;
        this.config = config;
        this.meters = meters;
    }

    /** The live session {@code sessionId} of {@code did}; 401 when it is unknown, another user's, revoked or over. */
    public UserSession live(String did, String sessionId) {
        UserSession session = store.session(sessionId).orElseThrow(SessionVerifier::revoked);
        if (!session.did().equals(did) || session.revoked()) {
            throw SessionVerifier.revoked();
        }
        return session;
    }

    /** An access token valid for at least the refresh margin. */
    public Acting acting(String did, String sessionId) {
        UserSession session = live(did, sessionId);
        if (session.accessExpiresAt().isAfter(Instant.now().plus(config.refreshMargin()))) {
            return open(session);
        }
        return refresh(sessionId, session.accessSealed());
    }

    /**
     * Refreshes unless another request (on any replica) already did since {@code seenAccess} was read: the refresh
     * token is single use, so the second of two racing refreshes must take the first one's tokens, not spend it again.
     */
    public Acting refresh(String sessionId, byte[] seenAccess) {
        return store.underLock(sessionId, locked -> {
            if (locked == null || locked.revoked()) {
                throw SessionVerifier.revoked();
            }
            if (!java.util.Arrays.equals(locked.accessSealed(), seenAccess)
                    && locked.accessExpiresAt().isAfter(Instant.now().plus(config.refreshMargin()))) {
                meters.counter("coves_api_oauth_refreshes_total", "outcome", "already_fresh").increment();
                return new OAuthStore.Locked<>(open(locked), null);
            }
            if (locked.refreshSealed() == null) {
                throw new AuthException("ExpiredToken", "the session's access expired and it has no refresh token; sign in again");
            }
            ECKey key = Secrets.ecKey(box.open(locked.dpopKeySealed(), locked.sealContext("dpop_key")));
            TokenGrants.Granted granted;
            try {
                granted = tokens.grant(locked.issuer(), locked.tokenEndpoint(),
                        new RefreshTokenGrant(new RefreshToken(box.open(locked.refreshSealed(), locked.sealContext("refresh")))),
                        key, locked.asNonce());
            } catch (TokenGrants.Refused e) {
                meters.counter("coves_api_oauth_refreshes_total", "outcome", "refused").increment();
                LOG.infof("refresh of session %s of %s refused: %s", sessionId, locked.did(), e.getMessage());
                throw new AuthException("ExpiredToken", "the authorization server no longer accepts this session ("
                        + e.oauthError() + "); sign in again");
            }
            if (granted.sub() != null && !granted.sub().equals(locked.did())) {
                throw new AuthException("InvalidToken", "the authorization server answered the refresh for another account");
            }
            UserSession updated = locked.withTokens(box.seal(granted.accessToken(), locked.sealContext("access")),
                    granted.refreshToken() == null ? locked.refreshSealed() : box.seal(granted.refreshToken(), locked.sealContext("refresh")),
                    granted.accessExpiresAt(), granted.scope().isEmpty() ? locked.scope() : granted.scope(), granted.nonce());
            meters.counter("coves_api_oauth_refreshes_total", "outcome", "refreshed").increment();
            return new OAuthStore.Locked<>(new Acting(updated, granted.accessToken(), key), updated);
        });
    }

    /** {@code POST /oauth/refresh}: the OAuth tokens refreshed and a new sealed token with a new expiry. */
    public String renew(String did, String sessionId, String sealedToken) {
        SealedTokens.Claims claims = sealed.openIgnoringExpiry(sealedToken);
        if (!claims.did().equals(did) || !claims.sessionId().equals(sessionId)) {
            throw new AuthException("InvalidToken", "the sealed token is not for this did and session_id");
        }
        UserSession session = live(did, sessionId);
        refresh(sessionId, session.accessSealed());
        Instant expires = Instant.now().plus(config.sessionTtl());
        store.underLock(sessionId, locked -> new OAuthStore.Locked<>(null, locked == null ? null : locked.withExpiry(expires)));
        return sealed.seal(did, sessionId, expires);
    }

    /** Revokes the refresh token at the authorization server (best effort) and ends the session here (always). */
    public void logout(String did, String sessionId) {
        store.underLock(sessionId, locked -> {
            if (locked == null || locked.revoked() || !locked.did().equals(did)) {
                return new OAuthStore.Locked<>(null, null);
            }
            ECKey key = Secrets.ecKey(box.open(locked.dpopKeySealed(), locked.sealContext("dpop_key")));
            String refresh = locked.refreshSealed() == null ? null : box.open(locked.refreshSealed(), locked.sealContext("refresh"));
            String nonce = tokens.revoke(locked.issuer(), locked.revocationEndpoint(), refresh, key, locked.asNonce());
            meters.counter("coves_api_oauth_logouts_total").increment();
            return new OAuthStore.Locked<>(null, locked.revokedNow(nonce));
        });
    }

    public void rememberPdsNonce(UserSession session, String nonce) {
        if (nonce != null && !nonce.equals(session.pdsNonce())) {
            store.pdsNonce(session.sessionId(), nonce);
        }
    }

    private Acting open(UserSession session) {
        return new Acting(session, box.open(session.accessSealed(), session.sealContext("access")),
                Secrets.ecKey(box.open(session.dpopKeySealed(), session.sealContext("dpop_key"))));
    }
}
