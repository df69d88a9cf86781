package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.CovesCollections;

/** A typed record of one of the collections the AppView indexes. */
public sealed interface CovesRecord
        permits CommunityProfile, CommunitySubscription, CommunityBlock, CommunityPost, CommunityComment, Vote, ActorProfile,
                AggregatorService, AggregatorAuthorization {

    /** The collection NSID this record belongs to. */
    String collection();

    /**
     * Parses a record of {@code collection}. This reads and type-checks the fields the AppView uses; run
     * {@link social.coves.lexicon.CovesLexicons#validateRecord} first for the full lexicon rules.
     *
     * @throws RecordParseException when a field the type needs is missing or malformed
     * @throws IllegalArgumentException when the collection is not one the AppView indexes
     */
    static CovesRecord parse(String collection, JsonNode json) {
        return switch (collection) {
            case CovesCollections.COMMUNITY_PROFILE -> CommunityProfile.fromJson(json);
            case CovesCollections.COMMUNITY_SUBSCRIPTION -> CommunitySubscription.fromJson(json);
            case CovesCollections.COMMUNITY_BLOCK -> CommunityBlock.fromJson(json);
            case CovesCollections.COMMUNITY_POST -> CommunityPost.fromJson(json);
            case CovesCollections.COMMUNITY_COMMENT -> CommunityComment.fromJson(json);
            case CovesCollections.FEED_VOTE -> Vote.fromJson(json);
            case CovesCollections.ACTOR_PROFILE -> ActorProfile.fromJson(json);
            case CovesCollections.AGGREGATOR_SERVICE -> AggregatorService.fromJson(json);
            case CovesCollections.AGGREGATOR_AUTHORIZATION -> AggregatorAuthorization.fromJson(json);
            default -> throw new IllegalArgumentException("not an indexed Coves collection: " + collection);
        };
    }
}
