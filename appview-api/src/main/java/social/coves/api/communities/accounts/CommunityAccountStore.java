package social.coves.api.communities.accounts;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.sql.Jdbc;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** {@code coves_api.community_accounts}: the communities this instance hosts and their sealed credentials. */
@ApplicationScoped
public class CommunityAccountStore {

    private static final String COLUMNS = "name, handle, did, pds_url, created_by, state, password_sealed, access_sealed, "
            + "refresh_sealed, access_expires_at, profile_uri, profile_cid";

    private final AgroalDataSource db;

    public CommunityAccountStore(AgroalDataSource db) {
        this.db = db;
    }

    /** Claims a name; false when a row for it exists already. */
    public boolean reserve(String name, String handle, URI pds, String createdBy, byte[] passwordSealed) {
        return update("INSERT INTO coves_api.community_accounts (name, handle, pds_url, created_by, state, password_sealed) "
                + "VALUES (?, ?, ?, ?, 'reserved', ?) ON CONFLICT DO NOTHING", name, handle, pds.toString(), createdBy,
                passwordSealed) == 1;
    }

    /**
     * Hands a creation that stopped between its steps to {@code newCreator}, if it has not moved for {@code idle};
     * false when it is finished, or still moving (its creator may be retrying), or another account took it first.
     */
    public boolean takeOver(String name, String newCreator, Duration idle) {
        return update("UPDATE coves_api.community_accounts SET created_by = ?, updated_at = now() WHERE name = ? "
                + "AND state <> 'ready' AND updated_at < now() - make_interval(secs => ?)", newCreator, name, idle.toMillis() / 1000.0) == 1;
    }

    public void release(String name) {
        update("DELETE FROM coves_api.community_accounts WHERE name = ? AND state = 'reserved'", name);
    }

    public void accountCreated(String name, String did, byte[] access, byte[] refresh, Instant accessExpiresAt) {
        update("UPDATE coves_api.community_accounts SET did = ?, access_sealed = ?, refresh_sealed = ?, access_expires_at = ?, "
                + "state = CASE WHEN state = 'reserved' THEN 'account' ELSE state END, updated_at = now() WHERE name = ?",
                did, access, refresh, Timestamp.from(accessExpiresAt), name);
    }

    public void profileWritten(String name, String uri, String cid) {
        update("UPDATE coves_api.community_accounts SET state = 'ready', profile_uri = ?, profile_cid = ?, updated_at = now() "
                + "WHERE name = ?", uri, cid, name);
    }

    public Optional<CommunityAccount> byName(String name) {
        return one("SELECT " + COLUMNS + " FROM coves_api.community_accounts WHERE name = ?", name);
    }

    public Optional<CommunityAccount> byDid(String did) {
        return one("SELECT " + COLUMNS + " FROM coves_api.community_accounts WHERE did = ?", did);
    }

    public Optional<CommunityAccount> byHandle(String handle) {
        return one("SELECT " + COLUMNS + " FROM coves_api.community_accounts WHERE handle = ?", handle);
    }

    /**
     * Runs {@code work} holding the row lock of the community {@code did} (SELECT ... FOR UPDATE), in one transaction:
     * every API replica that wants to refresh this community's tokens queues here, so a single-use refresh token is
     * spent once. {@code work} gets the row as it is once the lock is held and answers the tokens to store (or null).
     */
    public <T> T underLock(String did, LockedWork<T> work) {
        return Jdbc.inTransaction(db, "community account store", c -> {
            CommunityAccount row;
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM coves_api.community_accounts WHERE did = ? FOR UPDATE")) {
                select.setString(1, did);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("community account vanished: " + did);
                    }
                    row = read(rs);
                }
            }
            LockedResult<T> result = work.apply(row);
            Tokens t = result.newTokens();
            if (t != null) {
                try (PreparedStatement store = c.prepareStatement("UPDATE coves_api.community_accounts SET access_sealed = ?, "
                        + "refresh_sealed = ?, access_expires_at = ?, password_sealed = COALESCE(?, password_sealed), "
                        + "updated_at = now() WHERE did = ?")) {
                    Jdbc.bind(store, t.accessSealed(), t.refreshSealed(), Timestamp.from(t.accessExpiresAt()), t.passwordResealed(), did);
                    store.executeUpdate();
                }
            }
            return result.value();
        });
    }

    /**
     * Sealed tokens to store, with the access token's expiry; {@code passwordResealed} is the password sealed again
     * with the current key after a key rotation (null = unchanged).
     */
    public record Tokens(byte[] accessSealed, byte[] refreshSealed, Instant accessExpiresAt, byte[] passwordResealed) {
        public Tokens(byte[] accessSealed, byte[] refreshSealed, Instant accessExpiresAt) {
            this(accessSealed, refreshSealed, accessExpiresAt, null);
        }
    }

    /** What a locked piece of work answers: its value, and the tokens to store (null = unchanged). */
    public record LockedResult<T>(T value, Tokens newTokens) {
    }

    @FunctionalInterface
    public interface LockedWork<T> {
        LockedResult<T> apply(CommunityAccount locked);
    }

    private Optional<CommunityAccount> one(String sql, String key) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("community account store: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... args) {
        return Jdbc.update(db, "community account store", sql, args);
    }

    private static CommunityAccount read(ResultSet rs) throws SQLException {
        Timestamp expires = rs.getTimestamp("access_expires_at");
        return new CommunityAccount(rs.getString("name"), rs.getString("handle"), rs.getString("did"),
                URI.create(rs.getString("pds_url")), rs.getString("created_by"),
                CommunityAccount.State.valueOf(rs.getString("state")), rs.getBytes("password_sealed"),
                rs.getBytes("access_sealed"), rs.getBytes("refresh_sealed"), expires == null ? null : expires.toInstant(),
                rs.getString("profile_uri"), rs.getString("profile_cid"));
    }
}
