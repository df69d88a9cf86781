package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.syntax.Datetime;
import social.coves.lexicon.syntax.Did;

/** {@code social.coves.community.block} (in the blocking user's repo). */
public record CommunityBlock(Did subject, Datetime createdAt) implements CovesRecord {

    public static CommunityBlock fromJson(JsonNode json) {
        Fields f = Fields.of(json, "$");
        return new CommunityBlock(f.parsed("subject", Did::parse), f.parsed("createdAt", Datetime::parse));
    }

    @Override
    public String collection() {
        return CovesCollections.COMMUNITY_BLOCK;
    }
}
