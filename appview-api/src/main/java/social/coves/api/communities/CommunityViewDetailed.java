package social.coves.api.communities;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * {@code social.coves.community.defs#communityViewDetailed}. Counts appear both flat (what Coves clients read) and
 * in {@code stats} (the lexicon form). {@code hostedByVerified} (an addition) is the indexer's did:web hosting verdict:
 * absent while pending, {@code false} when refused (such a community is still served here but left out of discovery).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommunityViewDetailed(
        String did,
        String handle,
        String name,
        String displayName,
        String displayHandle,
        String description,
        String avatar,
        String banner,
        String createdBy,
        String hostedBy,
        Boolean hostedByVerified,
        String visibility,
        String moderationType,
        List<String> contentWarnings,
        String createdAt,
        Boolean allowExternalDiscovery,
        long subscriberCount,
        long memberCount,
        long postCount,
        Stats stats) {

    public record Stats(long subscriberCount, long memberCount, long postCount) {
    }
}
