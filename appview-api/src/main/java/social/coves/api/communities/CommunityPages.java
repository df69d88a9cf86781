package social.coves.api.communities;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** Output bodies of the community listings; {@code cursor} is absent on the last page. */
public final class CommunityPages {

    private CommunityPages() {
    }

    /** {@code social.coves.community.list}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Listing(List<CommunityView> communities, String cursor) {
    }

    /** {@code social.coves.community.search}; {@code total} counts every match (Coves clients read it). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Search(List<CommunityView> communities, String cursor, long total) {
    }

    /** {@code social.coves.community.getSubscribers}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Subscribers(List<Subscriber> subscribers, String cursor) {
    }

    /** {@code social.coves.community.getSubscribers#subscriberView}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Subscriber(String did, String handle, String displayName, String avatar, String subscribedAt, boolean isMember) {
    }
}
