package social.coves.lexicon;

import java.util.Set;

/** NSIDs of the record collections the AppView indexes. */
public final class CovesCollections {

    public static final String COMMUNITY_PROFILE = "social.coves.community.profile";
    public static final String COMMUNITY_SUBSCRIPTION = "social.coves.community.subscription";
    public static final String COMMUNITY_BLOCK = "social.coves.community.block";
    public static final String COMMUNITY_POST = "social.coves.community.post";
    public static final String COMMUNITY_COMMENT = "social.coves.community.comment";
    public static final String FEED_VOTE = "social.coves.feed.vote";
    public static final String ACTOR_PROFILE = "social.coves.actor.profile";

    public static final Set<String> INDEXED = Set.of(COMMUNITY_PROFILE, COMMUNITY_SUBSCRIPTION, COMMUNITY_BLOCK,
            COMMUNITY_POST, COMMUNITY_COMMENT, FEED_VOTE, ACTOR_PROFILE);

    private CovesCollections() {
    }
}
