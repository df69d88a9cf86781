package social.coves.api.oauth;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.auth.AuthException;
import social.coves.api.auth.Viewer;

/**
 * A sealed token to the {@link Viewer} it stands for: it must open (else {@code InvalidToken}), be unexpired (else
 * {@code ExpiredToken}) and name a session that is still signed in (one primary-key read, so a logout on any replica
 * holds on every replica at once).
 */
@ApplicationScoped
public class SessionVerifier {

    private final SealedTokens sealed;
    private final Pool pool;

    public SessionVerifier(SealedTokens sealed, Pool pool) {
        this.sealed = sealed;
        this.pool = pool;
    }

    public Uni<Viewer> verify(String token) {
        SealedTokens.Claims claims;
        try {
            claims = sealed.open(token);
        } catch (AuthException e) {
            return Uni.createFrom().failure(e);
        }
        return pool.preparedQuery("SELECT did, revoked_at IS NULL AS live FROM coves_api.oauth_sessions WHERE session_id = $1")
                .execute(Tuple.of(claims.sessionId()))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        throw revoked();
                    }
                    Row row = it.next();
                    if (!claims.did().equals(row.getString("did")) || !row.getBoolean("live")) {
                        throw revoked();
                    }
                    return new Viewer(claims.did(), claims.sessionId());
                });
    }

    static AuthException revoked() {
        return new AuthException("InvalidToken", "this session was signed out or is unknown; sign in again");
    }
}
