package social.coves.api.communities;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code social.coves.community.defs#communityView} (list and search), plus Coves' computed {@code displayHandle}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommunityView(String did, String handle, String name, String displayName, String displayHandle, String avatar,
                            String visibility, long subscriberCount, long memberCount, long postCount, Viewer viewer) {

    /** This view with the viewer's relation to the community. */
    public CommunityView withViewer(Viewer viewer) {
        return new CommunityView(did, handle, name, displayName, displayHandle, avatar, visibility, subscriberCount, memberCount,
                postCount, viewer);
    }

    /** The authenticated viewer's relation to the community: a subscription record, a block record. */
    public record Viewer(boolean subscribed, boolean blocked) {
    }
}
