package social.coves.lexicon;

import java.util.Map;
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
    /** An aggregator (a bot posting into communities) declaring itself; rkey {@code self}, in the aggregator's repo. */
    public static final String AGGREGATOR_SERVICE = "social.coves.aggregator.service";
    /** A community allowing an aggregator to post into it; any rkey, in the community's repo. */
    public static final String AGGREGATOR_AUTHORIZATION = "social.coves.aggregator.authorization";

    public static final Set<String> INDEXED = Set.of(COMMUNITY_PROFILE, COMMUNITY_SUBSCRIPTION, COMMUNITY_BLOCK,
            COMMUNITY_POST, COMMUNITY_COMMENT, FEED_VOTE, ACTOR_PROFILE, AGGREGATOR_SERVICE, AGGREGATOR_AUTHORIZATION);

    /**
     * Collections whose records name the repository that holds them: the top-level field that must equal the repo DID
     * ({@link CovesLexicons#repoMismatch}). A record naming another repo is a forgery or a bug, never an instruction.
     */
    public static final Map<String, String> REPO_DID_FIELDS = Map.of(
            AGGREGATOR_SERVICE, "did",
            AGGREGATOR_AUTHORIZATION, "communityDid");

    private CovesCollections() {
    }
}
