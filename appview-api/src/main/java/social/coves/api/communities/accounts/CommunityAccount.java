package social.coves.api.communities.accounts;

import java.net.URI;
import java.time.Instant;

/**
 * A community this instance hosts, as stored in {@code coves_api.community_accounts}, credentials still sealed.
 * {@code did} is null while {@code state} is {@code reserved}.
 */
public record CommunityAccount(String name, String handle, String did, URI pds, String createdBy, State state,
                               byte[] passwordSealed, byte[] accessSealed, byte[] refreshSealed, Instant accessExpiresAt,
                               String profileUri, String profileCid) {

    public enum State { reserved, account, ready }

    /** Where a sealed value of this community is stored: the associated data that binds it there. */
    public String sealContext(String field) {
        return "community:" + name + ":" + field;
    }

    @Override
    public String toString() {
        return "CommunityAccount[name=" + name + ", did=" + did + ", state=" + state + ", credentials=<sealed>]";
    }
}
