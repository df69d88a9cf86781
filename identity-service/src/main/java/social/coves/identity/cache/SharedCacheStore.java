package social.coves.identity.cache;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import social.coves.identity.resolution.Lookup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Postgres half of the cache ({@code identity.cache_entry}), shared by all pods. Failures here are logged and
 * treated as a miss: the network remains the source of truth.
 */
@ApplicationScoped
public class SharedCacheStore {

    private static final Logger LOG = Logger.getLogger(SharedCacheStore.class);

    private final AgroalDataSource dataSource;
    private final IdentityClock clock;
    private ScheduledExecutorService sweeper;

    public SharedCacheStore(AgroalDataSource dataSource, IdentityClock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("identity-cache-sweeper").factory());
        sweeper.scheduleWithFixedDelay(this::deleteExpired, 10, 10, TimeUnit.MINUTES);
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    public Optional<CacheEntry> read(String key) {
        String sql = "SELECT status, value, did, message, source, fetched_at, stale_at, expires_at "
                + "FROM identity.cache_entry WHERE cache_key = ? AND expires_at > ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, key);
            statement.setTimestamp(2, Timestamp.from(clock.now()));
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Lookup lookup = new Lookup(Lookup.Status.valueOf(row.getString(1).toUpperCase(Locale.ROOT)),
                        row.getString(2), row.getString(3), row.getString(4), row.getString(5));
                return Optional.of(CacheEntry.of(key, lookup, row.getTimestamp(6).toInstant(),
                        row.getTimestamp(7).toInstant(), row.getTimestamp(8).toInstant()));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("shared identity cache read failed for %s: %s", key, e.getMessage());
            return Optional.empty();
        }
    }

    public void write(String key, CacheEntry entry) {
        String sql = "INSERT INTO identity.cache_entry (cache_key, did, status, value, message, source, fetched_at, stale_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cache_key) DO UPDATE SET did = EXCLUDED.did, "
                + "status = EXCLUDED.status, value = EXCLUDED.value, message = EXCLUDED.message, source = EXCLUDED.source, "
                + "fetched_at = EXCLUDED.fetched_at, stale_at = EXCLUDED.stale_at, expires_at = EXCLUDED.expires_at";
        Lookup lookup = entry.lookup();
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, key);
            statement.setString(2, lookup.did());
            statement.setString(3, lookup.status().label());
            statement.setString(4, lookup.value());
            statement.setString(5, lookup.message() == null ? "" : lookup.message());
            statement.setString(6, lookup.source());
            statement.setTimestamp(7, Timestamp.from(entry.fetchedAt()));
            statement.setTimestamp(8, Timestamp.from(entry.staleAt()));
            statement.setTimestamp(9, Timestamp.from(entry.expiresAt()));
            statement.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("shared identity cache write failed for %s: %s", key, e.getMessage());
        }
    }

    /** Removes the DID's document and every handle entry that pointed at it, plus the given keys. */
    public int deleteDid(String did, String... extraKeys) {
        String sql = "DELETE FROM identity.cache_entry WHERE did = ? OR cache_key = ANY (?)";
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, did);
            statement.setArray(2, connection.createArrayOf("text", extraKeys));
            return statement.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("shared identity cache purge failed for %s: %s", did, e.getMessage());
            return 0;
        }
    }

    public void deleteKey(String key) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("DELETE FROM identity.cache_entry WHERE cache_key = ?")) {
            statement.setString(1, key);
            statement.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("shared identity cache delete failed for %s: %s", key, e.getMessage());
        }
    }

    void deleteExpired() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("DELETE FROM identity.cache_entry WHERE expires_at <= ?")) {
            statement.setTimestamp(1, Timestamp.from(clock.now()));
            statement.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("shared identity cache sweep failed: %s", e.getMessage());
        }
    }
}
