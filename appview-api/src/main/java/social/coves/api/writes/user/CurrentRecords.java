package social.coves.api.writes.user;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.communities.CommunityIdentifier;
import social.coves.lexicon.CovesCollections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A user's current vote on a subject or subscription to a community: what they last wrote through this AppView while
 * Jetstream may still be bringing it back ({@link RecentWrites}), else what the index holds.
 */
@ApplicationScoped
public class CurrentRecords {

    /** A record of the user's: its URI (rkey last) and, for votes, its direction. */
    public record Current(String uri, String direction) {
        public String rkey() {
            return uri.substring(uri.lastIndexOf('/') + 1);
        }
    }

    private final RecentWrites recent;
    private final AgroalDataSource db;

    public CurrentRecords(RecentWrites recent, AgroalDataSource db) {
        this.recent = recent;
        this.db = db;
    }

    public Optional<Current> vote(String did, String subjectUri) {
        Optional<RecentWrites.Latest> latest = recent.latest(did, CovesCollections.FEED_VOTE, subjectUri);
        if (latest.isPresent()) {
            return latest.get().deleted() ? Optional.empty()
                    : Optional.of(new Current(latest.get().uri(), latest.get().record().path("direction").asText()));
        }
        return one("SELECT uri, direction FROM appview.votes WHERE voter_did = ? AND subject_uri = ? ORDER BY uri DESC LIMIT 1",
                did, subjectUri);
    }

    public Optional<Current> subscription(String did, String communityDid) {
        Optional<RecentWrites.Latest> latest = recent.latest(did, CovesCollections.COMMUNITY_SUBSCRIPTION, communityDid);
        if (latest.isPresent()) {
            return latest.get().deleted() ? Optional.empty() : Optional.of(new Current(latest.get().uri(), null));
        }
        return one("SELECT uri, NULL FROM appview.subscriptions WHERE subscriber_did = ? AND community_did = ? "
                + "ORDER BY uri DESC LIMIT 1", did, communityDid);
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
                ? one("SELECT did, NULL FROM appview.communities WHERE did = ?", id.did()).map(Current::uri)
                : one("SELECT c.did, NULL FROM appview.communities c JOIN appview.actors a ON a.did = c.did WHERE lower(a.handle) = ?",
                id.handle()).map(Current::uri);
    }

    private Optional<Current> one(String sql, String... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Current(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("index lookup failed: " + e.getMessage(), e);
        }
    }
}
