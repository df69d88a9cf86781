package social.coves.api.writes.user;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.auth.Viewer;
import social.coves.api.communities.CommunityIdentifier;
import social.coves.api.sql.Jdbc;
import social.coves.lexicon.CovesCollections;

import java.util.Optional;

/**
 * A user's current vote on a subject, subscription to or block of a community, or block of a user: what they last
 * wrote through this AppView while Jetstream may still be bringing it back ({@link RecentWrites}), else what the index
 * holds — or, for user blocks, which no index table holds, what their repository holds.
 */
@ApplicationScoped
public class CurrentRecords {

    /** A record of the user's: its URI (rkey last), its CID when known, and, for votes, its direction. */
    public record Current(String uri, String cid, String direction) {
        public String rkey() {
            return uri.substring(uri.lastIndexOf('/') + 1);
        }
    }

    private final RecentWrites recent;
    private final AgroalDataSource db;
    private final UserRepo repo;

    public CurrentRecords(RecentWrites recent, AgroalDataSource db, UserRepo repo) {
        this.recent = recent;
        this.db = db;
        this.repo = repo;
    }

    public Optional<Current> vote(String did, String subjectUri) {
        return recent(did, CovesCollections.FEED_VOTE, subjectUri).orElseGet(() ->
                one("SELECT uri, cid, direction FROM appview.votes WHERE voter_did = ? AND subject_uri = ? ORDER BY uri DESC LIMIT 1",
                        did, subjectUri));
    }

    public Optional<Current> subscription(String did, String communityDid) {
        return recent(did, CovesCollections.COMMUNITY_SUBSCRIPTION, communityDid).orElseGet(() ->
                one("SELECT uri, cid, NULL FROM appview.subscriptions WHERE subscriber_did = ? AND community_did = ? "
                        + "ORDER BY uri DESC LIMIT 1", did, communityDid));
    }

    public Optional<Current> communityBlock(String did, String communityDid) {
        return recent(did, CovesCollections.COMMUNITY_BLOCK, communityDid).orElseGet(() ->
                one("SELECT uri, cid, NULL FROM appview.community_blocks WHERE blocker_did = ? AND community_did = ? "
                        + "ORDER BY uri DESC LIMIT 1", did, communityDid));
    }

    /** The user's block of {@code subjectDid}: their recent write, else the first such record in their repository. */
    public Optional<Current> userBlock(Viewer user, String subjectDid) {
        return recent(user.did(), UserRecords.ACTOR_BLOCK, subjectDid).orElseGet(() ->
                repo.find(user, UserRecords.ACTOR_BLOCK, record -> subjectDid.equals(record.path("value").path("subject").asText()))
                        .map(found -> new Current(found.path("uri").asText(), found.path("cid").asText(null), null)));
    }

    /** The DID of the community {@code raw} names (DID, handle, {@code !name@instance}) if the index knows it. */
    public Optional<String> communityDid(String raw) {
        CommunityIdentifier id;
        try {
            id = CommunityIdentifier.parse(raw);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return id.did() != null
                ? one("SELECT did, NULL, NULL FROM appview.communities WHERE did = ?", id.did()).map(Current::uri)
                : one("SELECT c.did, NULL, NULL FROM appview.communities c JOIN appview.actors a ON a.did = c.did "
                + "WHERE lower(a.handle) = ?", id.handle()).map(Current::uri);
    }

    /** The DID the index knows for a (lower-case) handle. */
    public Optional<String> actorDid(String handle) {
        return one("SELECT did, NULL, NULL FROM appview.actors WHERE lower(handle) = ? ORDER BY updated_at DESC LIMIT 1", handle)
                .map(Current::uri);
    }

    /** What the user last wrote about the subject, if recently: present-and-empty when they deleted it. */
    private Optional<Optional<Current>> recent(String did, String collection, String subject) {
        return recent.latest(did, collection, subject).map(latest -> latest.deleted() ? Optional.empty()
                : Optional.of(new Current(latest.uri(), latest.cid(), latest.record().path("direction").asText(null))));
    }

    private Optional<Current> one(String sql, String... args) {
        return Jdbc.first(db, "index lookup", sql, rs -> new Current(rs.getString(1), rs.getString(2), rs.getString(3)),
                (Object[]) args);
    }
}
