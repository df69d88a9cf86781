package social.coves.api.writes.user;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.auth.Viewer;
import social.coves.api.pds.RecordRef;

/**
 * Writing a record of the user's and remembering it: each record is validated ({@link UserRecords}) before it goes
 * to their PDS, and what the PDS accepted is kept in {@link RecentWrites} under its subject (a community's DID, a
 * subject's URI, a user's DID, the record's own URI) until Jetstream brings it back to the index.
 */
@ApplicationScoped
public class OwnRecords {

    private final UserRepo repo;
    private final RecentWrites recent;

    public OwnRecords(UserRepo repo, RecentWrites recent) {
        this.repo = repo;
        this.recent = recent;
    }

    /** A new record; remembered under {@code subject}, or under its own URI when that is null. */
    public RecordRef create(Viewer user, String collection, String subject, ObjectNode record) {
        UserRecords.validated(collection, record);
        RecordRef written = repo.create(user, collection, record);
        return remembered(user, collection, subject == null ? written.uri() : subject, record, written);
    }

    /** Replaces the record at {@code rkey} if it is still {@code swapRecord} (null: whatever it is). */
    public RecordRef put(Viewer user, String collection, String rkey, String subject, ObjectNode record, String swapRecord) {
        UserRecords.validated(collection, record);
        return remembered(user, collection, subject, record, repo.put(user, collection, rkey, record, swapRecord));
    }

    /** Deletes {@code existing} and creates {@code record} in one commit. */
    public RecordRef replace(Viewer user, String collection, String subject, CurrentRecords.Current existing, ObjectNode record) {
        UserRecords.validated(collection, record);
        return remembered(user, collection, subject, record, repo.replace(user, collection, existing.rkey(), record));
    }

    public void delete(Viewer user, String collection, String subject, CurrentRecords.Current existing) {
        repo.delete(user, collection, existing.rkey());
        recent.deleted(user.did(), collection, subject, existing.uri());
    }

    /** The record's CID: as known, else as the user's repository has it ("" when it is gone meanwhile). */
    public String cid(Viewer user, String collection, CurrentRecords.Current record) {
        return record.cid() != null ? record.cid()
                : repo.get(user, collection, record.rkey()).map(r -> r.path("cid").asText()).orElse("");
    }

    private RecordRef remembered(Viewer user, String collection, String subject, ObjectNode record, RecordRef written) {
        recent.wrote(user.did(), collection, subject, written.uri(), written.cid(), record);
        return written;
    }
}
