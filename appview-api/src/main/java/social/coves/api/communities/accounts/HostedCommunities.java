package social.coves.api.communities.accounts;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.communities.CommunityIdentifier;
import social.coves.api.xrpc.XrpcException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Which community a write names, and whether this instance can write for it: a community it hosts (its account is
 * here, ready), a community the index knows but another instance hosts (403: we hold no credentials for it), or
 * none (404 {@code CommunityNotFound}).
 */
@ApplicationScoped
public class HostedCommunities {

    private final CommunityAccountStore store;
    private final AgroalDataSource db;

    public HostedCommunities(CommunityAccountStore store, AgroalDataSource db) {
        this.store = store;
        this.db = db;
    }

    /**
     * The ready account of the community {@code raw} names (DID, handle, {@code @handle} or {@code !name@instance});
     * an unknown one is a 404 named {@code notFoundError}, the name the calling method's lexicon declares.
     */
    public CommunityAccount require(String raw, String notFoundError) {
        CommunityIdentifier id = CommunityIdentifier.parse(raw);
        Optional<CommunityAccount> hosted = id.did() != null ? store.byDid(id.did()) : store.byHandle(id.handle());
        if (hosted.isPresent() && hosted.get().state() == CommunityAccount.State.ready) {
            return hosted.get();
        }
        if (hosted.isEmpty() && indexed(id)) {
            throw new XrpcException(403, "NotAuthorized", "community " + raw
                    + " is hosted by another instance; this AppView can only write to communities it hosts");
        }
        throw XrpcException.notFound(notFoundError, "community not found: " + raw);
    }

    /** Whether {@code did} subscribes to {@code community} (as far as the index knows). */
    public boolean subscribes(String did, String community) {
        return exists("SELECT 1 FROM appview.subscriptions WHERE subscriber_did = ? AND community_did = ? LIMIT 1", did, community);
    }

    private boolean indexed(CommunityIdentifier id) {
        return id.did() != null
                ? exists("SELECT 1 FROM appview.communities WHERE did = ?", id.did())
                : exists("SELECT 1 FROM appview.communities c JOIN appview.actors a ON a.did = c.did WHERE lower(a.handle) = ?", id.handle());
    }

    private boolean exists(String sql, String... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("index lookup failed: " + e.getMessage(), e);
        }
    }
}
