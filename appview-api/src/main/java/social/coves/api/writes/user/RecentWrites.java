package social.coves.api.writes.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import social.coves.api.changes.IndexChanges;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.sql.Jdbc;

import java.io.IOException;
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
    private final IndexChanges changes;

    public RecentWrites(AgroalDataSource db, ObjectMapper json, IndexChanges changes) {
        this.db = db;
        this.json = json;
        this.changes = changes;
    }

    public Optional<Latest> latest(String did, String collection, String subject) {
        return Jdbc.first(db, "recent writes", "SELECT uri, cid, record::text FROM coves_api.user_writes "
                        + "WHERE did = ? AND collection = ? AND subject = ? AND written_at > now() - make_interval(secs => ?)",
                rs -> new Latest(rs.getString(1), rs.getString(2), record(rs.getString(3))), did, collection, subject, WINDOW.toSeconds());
    }

    public void wrote(String did, String collection, String subject, String uri, String cid, JsonNode record) {
        update("INSERT INTO coves_api.user_writes (did, collection, subject, uri, cid, record) VALUES (?, ?, ?, ?, ?, ?::jsonb) "
                        + "ON CONFLICT (did, collection, subject) DO UPDATE SET uri = excluded.uri, cid = excluded.cid, "
                        + "record = excluded.record, written_at = now()",
                did, collection, subject, uri, cid, record.toString());
        changes.changedHere(IndexChanges.user(did)); // the writer's next read here sees it (V5 tells the other replicas)
    }

    public void deleted(String did, String collection, String subject, String uri) {
        update("INSERT INTO coves_api.user_writes (did, collection, subject, uri, cid, record) VALUES (?, ?, ?, ?, NULL, NULL) "
                        + "ON CONFLICT (did, collection, subject) DO UPDATE SET uri = excluded.uri, cid = NULL, record = NULL, "
                        + "written_at = now()",
                did, collection, subject, uri);
        changes.changedHere(IndexChanges.user(did));
        update("DELETE FROM coves_api.user_writes WHERE written_at < now() - make_interval(secs => ?)", WINDOW.toSeconds() * 6);
    }

    private void update(String sql, Object... args) {
        Jdbc.update(db, "recent writes", sql, args);
    }

    private JsonNode record(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("recent writes: a stored record is not JSON", e);
        }
    }
}
