package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.syntax.Datetime;
import social.coves.lexicon.syntax.Did;

/**
 * {@code social.coves.aggregator.authorization} (any rkey, in the community's repo): the community allows
 * {@code aggregatorDid} to post into it while {@code enabled}. {@code communityDid} must be the repo's DID
 * ({@link social.coves.lexicon.CovesLexicons#repoMismatch}); {@code config} stays raw JSON (the aggregator's settings
 * for this community, stored and served as-is).
 */
public record AggregatorAuthorization(Did aggregatorDid, Did communityDid, boolean enabled, JsonNode config,
                                      Datetime createdAt, Did createdBy, Datetime disabledAt, Did disabledBy)
        implements CovesRecord {

    public static AggregatorAuthorization fromJson(JsonNode json) {
        Fields f = Fields.of(json, "$");
        return new AggregatorAuthorization(f.parsed("aggregatorDid", Did::parse), f.parsed("communityDid", Did::parse),
                f.bool("enabled"), f.raw("config"), f.parsed("createdAt", Datetime::parse), f.parsed("createdBy", Did::parse),
                f.optionalParsed("disabledAt", Datetime::parse), f.optionalParsed("disabledBy", Did::parse));
    }

    @Override
    public String collection() {
        return CovesCollections.AGGREGATOR_AUTHORIZATION;
    }
}
