package social.coves.api.oauth;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.sql.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** {@code coves_api.oauth_sign_ins} and {@code coves_api.oauth_sessions} (JDBC; blocking). */
@ApplicationScoped
public class OAuthStore {

    private static final String SESSION_COLUMNS = "session_id, did, handle, pds_url, issuer, token_endpoint, "
            + "revocation_endpoint, scope, access_sealed, refresh_sealed, access_expires_at, dpop_key_sealed, as_nonce, "
            + "pds_nonce, expires_at, revoked_at";

    private static final String STORE = "oauth store";

    private final AgroalDataSource db;

    public OAuthStore(AgroalDataSource db) {
        this.db = db;
    }

    public void saveSignIn(SignIn s) {
        update("DELETE FROM coves_api.oauth_sign_ins WHERE expires_at < now()");
        update("INSERT INTO coves_api.oauth_sign_ins (state, browser_hash, did, handle, pds_url, issuer, token_endpoint, "
                        + "revocation_endpoint, verifier_sealed, dpop_key_sealed, dpop_nonce, app, return_to, client_state, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.state(), s.browserHash(), s.did(), s.handle(), s.pdsUrl(), s.server().issuer(), s.server().tokenEndpoint(),
                s.server().revocationEndpoint(), s.verifierSealed(), s.dpopKeySealed(), s.dpopNonce(), s.app().name(),
                s.returnTo(), s.clientState(), Timestamp.from(s.expiresAt()));
    }

    /**
     * The sign-in with this state started by the browser holding {@code browserHash}'s secret, removed as it is read
     * (a callback is used once); empty when unknown, expired or started elsewhere (then it stays for its own browser).
     */
    public Optional<SignIn> takeSignIn(String state, String browserHash) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM coves_api.oauth_sign_ins WHERE state = ? AND browser_hash = ? RETURNING *")) {
            s.setString(1, state);
            s.setString(2, browserHash);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || rs.getTimestamp("expires_at").toInstant().isBefore(Instant.now())) {
                    return Optional.empty();
                }
                return Optional.of(new SignIn(rs.getString("state"), rs.getString("browser_hash"), rs.getString("did"),
                        rs.getString("handle"), rs.getString("pds_url"),
                        new AuthorizationServer(rs.getString("issuer"), null, null, rs.getString("token_endpoint"),
                                rs.getString("revocation_endpoint")),
                        rs.getBytes("verifier_sealed"), rs.getBytes("dpop_key_sealed"), rs.getString("dpop_nonce"),
                        SignIn.App.valueOf(rs.getString("app")), rs.getString("return_to"), rs.getString("client_state"),
                        rs.getTimestamp("expires_at").toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("oauth store: " + e.getMessage(), e);
        }
    }

    public void createSession(UserSession s) {
        update("INSERT INTO coves_api.oauth_sessions (" + SESSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.sessionId(), s.did(), s.handle(), s.pdsUrl(), s.issuer(), s.tokenEndpoint(), s.revocationEndpoint(),
                s.scope(), s.accessSealed(), s.refreshSealed(), Timestamp.from(s.accessExpiresAt()), s.dpopKeySealed(),
                s.asNonce(), s.pdsNonce(), Timestamp.from(s.expiresAt()), null);
    }

    public Optional<UserSession> session(String sessionId) {
        return Jdbc.first(db, STORE, "SELECT " + SESSION_COLUMNS + " FROM coves_api.oauth_sessions WHERE session_id = ?",
                OAuthStore::read, sessionId);
    }

    /**
     * Runs {@code work} holding the session's row lock (one refresh at a time per session across every replica: a
     * refresh token is single use) and stores the session it answers, if any.
     */
    public <T> T underLock(String sessionId, Function<UserSession, Locked<T>> work) {
        return Jdbc.inTransaction(db, STORE, c -> {
            UserSession row;
            try (PreparedStatement select = c.prepareStatement("SELECT " + SESSION_COLUMNS
                    + " FROM coves_api.oauth_sessions WHERE session_id = ? FOR UPDATE")) {
                select.setString(1, sessionId);
                try (ResultSet rs = select.executeQuery()) {
                    row = rs.next() ? read(rs) : null;
                }
            }
            Locked<T> result = work.apply(row);
            UserSession n = result.store();
            if (n != null) {
                try (PreparedStatement store = c.prepareStatement("UPDATE coves_api.oauth_sessions SET access_sealed = ?, "
                        + "refresh_sealed = ?, access_expires_at = ?, as_nonce = ?, pds_nonce = ?, scope = ?, expires_at = ?, "
                        + "revoked_at = ?, refreshed_at = now() WHERE session_id = ?")) {
                    Jdbc.bind(store, n.accessSealed(), n.refreshSealed(), Timestamp.from(n.accessExpiresAt()), n.asNonce(),
                            n.pdsNonce(), n.scope(), Timestamp.from(n.expiresAt()),
                            n.revokedAt() == null ? null : Timestamp.from(n.revokedAt()), sessionId);
                    store.executeUpdate();
                }
            }
            return result.value();
        });
    }

    /** What a locked piece of work answers, and the session to store (null = unchanged). */
    public record Locked<T>(T value, UserSession store) {
    }

    /** Remembers the PDS's newest DPoP nonce (no lock: any recent nonce will do, a stale one costs one retry). */
    public void pdsNonce(String sessionId, String nonce) {
        update("UPDATE coves_api.oauth_sessions SET pds_nonce = ? WHERE session_id = ? AND pds_nonce IS DISTINCT FROM ?",
                nonce, sessionId, nonce);
    }

    private int update(String sql, Object... args) {
        return Jdbc.update(db, STORE, sql, args);
    }

    private static UserSession read(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new UserSession(rs.getString("session_id"), rs.getString("did"), rs.getString("handle"), rs.getString("pds_url"),
                rs.getString("issuer"), rs.getString("token_endpoint"), rs.getString("revocation_endpoint"), rs.getString("scope"),
                rs.getBytes("access_sealed"), rs.getBytes("refresh_sealed"), rs.getTimestamp("access_expires_at").toInstant(),
                rs.getBytes("dpop_key_sealed"), rs.getString("as_nonce"), rs.getString("pds_nonce"),
                rs.getTimestamp("expires_at").toInstant(), revoked == null ? null : revoked.toInstant());
    }
}
