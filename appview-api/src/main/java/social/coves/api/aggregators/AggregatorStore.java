package social.coves.api.aggregators;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.sql.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The aggregator rows of the API's own schema ({@code coves_api}: registrations, API keys, the posting quota) and the
 * index look-up posting needs ({@code appview}: has the aggregator declared itself). Every call reads PostgreSQL:
 * nothing is cached, so a revocation holds on every replica at once.
 */
@ApplicationScoped
public class AggregatorStore {

    /** A key's metadata; the key itself is never stored. */
    public record KeyInfo(String prefix, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    }

    /** The outcome of a quota reservation: a reservation id, or how long until the oldest post leaves the window. */
    public record Quota(Long reservation, long retryAfterSeconds) {
        public boolean admitted() {
            return reservation != null;
        }
    }

    static final Duration WINDOW = Duration.ofHours(1);

    private final AgroalDataSource db;

    public AggregatorStore(AgroalDataSource db) {
        this.db = db;
    }

    // --------------------------------------------------------------------------------------------- registrations

    /** False when the DID was registered already. */
    public boolean register(String did, String domain, String handle) {
        return update("INSERT INTO coves_api.aggregator_registrations (did, domain, handle) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                did, domain, handle) == 1;
    }

    public boolean isRegistered(String did) {
        return exists("SELECT 1 FROM coves_api.aggregator_registrations WHERE did = ?", did);
    }

    // ---------------------------------------------------------------------------------------------------- keys

    /** Stores a new key for {@code did}, replacing (and so invalidating) any earlier one; answers its creation time. */
    public Instant replaceKey(String did, String prefix, String hash) {
        return query("INSERT INTO coves_api.aggregator_api_keys (aggregator_did, key_prefix, key_hash) VALUES (?, ?, ?) "
                + "ON CONFLICT (aggregator_did) DO UPDATE SET key_prefix = EXCLUDED.key_prefix, key_hash = EXCLUDED.key_hash, "
                + "created_at = now(), revoked_at = NULL, last_used_at = NULL RETURNING created_at", rs -> instant(rs, 1),
                did, prefix, hash).orElseThrow();
    }

    public Optional<KeyInfo> keyInfo(String did) {
        return query("SELECT key_prefix, created_at, last_used_at, revoked_at FROM coves_api.aggregator_api_keys WHERE aggregator_did = ?",
                rs -> new KeyInfo(rs.getString(1), instant(rs, 2), instant(rs, 3), instant(rs, 4)), did);
    }

    /** Revokes the live key of {@code did}; empty when there is none (never made, or revoked already). */
    public Optional<Instant> revoke(String did) {
        return query("UPDATE coves_api.aggregator_api_keys SET revoked_at = now() WHERE aggregator_did = ? AND revoked_at IS NULL "
                + "RETURNING revoked_at", rs -> instant(rs, 1), did);
    }

    /** The aggregator a live (not revoked) key belongs to; notes the use at most once a minute. */
    public Optional<String> ownerOfKey(String hash) {
        record Owner(String did, boolean usedLately) {
        }
        Optional<Owner> owner = query("SELECT aggregator_did, last_used_at >= now() - interval '1 minute' "
                + "FROM coves_api.aggregator_api_keys WHERE key_hash = ? AND revoked_at IS NULL", rs -> new Owner(rs.getString(1), rs.getBoolean(2)), hash);
        owner.filter(o -> !o.usedLately()).ifPresent(o -> update("UPDATE coves_api.aggregator_api_keys SET last_used_at = now() "
                + "WHERE key_hash = ?", hash));
        return owner.map(Owner::did);
    }

    // -------------------------------------------------------------------------------------------------- posting

    /** Whether {@code did} has declared itself with a {@code social.coves.aggregator.service} record (as indexed). */
    public boolean isDeclared(String did) {
        return exists("SELECT 1 FROM appview.aggregator_services WHERE did = ?", did);
    }

    /**
     * Takes one of {@code limit} posts in the rolling hour of (aggregator, community). Replicas queue on an advisory
     * lock of the pair, so two of them can never both take the last one; rows that left the window are dropped here.
     */
    public Quota reserve(String aggregator, String community, int limit) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                execute(c, "SELECT pg_advisory_xact_lock(hashtextextended(? || ' ' || ?, 24))", aggregator, community);
                execute(c, "DELETE FROM coves_api.aggregator_posts WHERE aggregator_did = ? AND community_did = ? "
                        + "AND posted_at <= clock_timestamp() - make_interval(secs => ?)", aggregator, community, (double) WINDOW.toSeconds());
                Quota quota;
                try (PreparedStatement s = c.prepareStatement("SELECT count(*), ceil(extract(epoch FROM min(posted_at) "
                        + "+ make_interval(secs => ?) - clock_timestamp())) FROM coves_api.aggregator_posts "
                        + "WHERE aggregator_did = ? AND community_did = ?")) {
                    Jdbc.bind(s, (double) WINDOW.toSeconds(), aggregator, community);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        quota = rs.getLong(1) >= limit ? new Quota(null, Math.max(1, rs.getLong(2))) : null;
                    }
                }
                if (quota == null) {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO coves_api.aggregator_posts (aggregator_did, community_did, "
                            + "posted_at) VALUES (?, ?, clock_timestamp()) RETURNING id")) {
                        Jdbc.bind(s, aggregator, community);
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            quota = new Quota(rs.getLong(1), 0);
                        }
                    }
                }
                c.commit();
                return quota;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("aggregator quota: " + e.getMessage(), e);
        }
    }

    /** The post was written: the reservation keeps counting, now with its URI. */
    public void posted(long reservation, String uri) {
        update("UPDATE coves_api.aggregator_posts SET post_uri = ? WHERE id = ?", uri, reservation);
    }

    /** The post was not written: it does not count. */
    public void release(long reservation) {
        update("DELETE FROM coves_api.aggregator_posts WHERE id = ?", reservation);
    }

    // ------------------------------------------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> Optional<T> query(String sql, RowReader<T> reader, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            Jdbc.bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("aggregator store: " + e.getMessage(), e);
        }
    }

    private boolean exists(String sql, Object... args) {
        return query(sql, rs -> true, args).isPresent();
    }

    private int update(String sql, Object... args) {
        return Jdbc.update(db, "aggregator store", sql, args);
    }

    private static void execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            Jdbc.bind(s, args);
            s.execute();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
