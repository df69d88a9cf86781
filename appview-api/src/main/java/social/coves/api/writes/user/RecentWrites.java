package social.coves.api.writes.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code coves_api.user_writes}: each signed-in user's newest write per subject through this AppView, kept while
 * Jetstream may not have brought it back yet ({@link #WINDOW}). Newer than the index by construction, so where a row
 * exists it is the user's current state (a null record = deleted).
 */
@ApplicationScoped
public class RecentWrites {

    /** Longer than the index ever lags behind a write in normal operation; older rows are the index's to answer. */
    static final Duration WINDOW = Duration.ofMinutes(10);

    /** The user's current record for a subject as they last wrote it: a reference, or deleted (uri null). */
    public record Latest(String uri, String cid, JsonNode record) {
        public boolean deleted() {
            return record == null;
        }
    }

    private final AgroalDataSource db;
    private final ObjectMapper json;

    public RecentWrites(AgroalDataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Optional<Latest> latest(String did, String collection, String subject) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT uri, cid, record::text "
                + "FROM coves_api.user_writes WHERE did = ? AND collection = ? AND subject = ? "
                + "AND written_at > now() - make_interval(secs => ?)")) {
            s.setString(1, did);
            s.setString(2, collection);
            s.setString(3, subject);
            s.setLong(4, WINDOW.toSeconds());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String record = rs.getString(3);
                return Optional.of(new Latest(rs.getString(1), rs.getString(2), record == null ? null : json.readTree(record)));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("recent writes: " + e.getMessage(), e);
        }
    }

    public void wrote(String did, String collection, String subject, String uri, String cid, JsonNode record) {
        update("INSERT INTO coves_api.user_writes (did, collection, subject, uri, cid, record) VALUES (?, ?, ?, ?, ?, ?::jsonb) "
                        + "ON CONFLICT (did, collection, subject) DO UPDATE SET uri = excluded.uri, cid = excluded.cid, "
                        + "record = excluded.record, written_at = now()",
                did, collection, subject, uri, cid, record.toString());
    }

    public void deleted(String did, String collection, String subject, String uri) {
        update("INSERT INTO coves_api.user_writes (did, collection, subject, uri, cid, record) VALUES (?, ?, ?, ?, NULL, NULL) "
                        + "ON CONFLICT (did, collection, subject) DO UPDATE SET uri = excluded.uri, cid = NULL, record = NULL, "
                        + "written_at = now()",
                did, collection, subject, uri);
        update("DELETE FROM coves_api.user_writes WHERE written_at < now() - make_interval(secs => ?)", WINDOW.toSeconds() * 6);
    }

    private void update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recent writes: " + e.getMessage(), e);
        }
    }
}
