package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.syntax.Datetime;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.Uri;

/**
 * {@code social.coves.aggregator.service} (rkey {@code self}, in the aggregator's own repo). {@code did} must be the
 * repo's DID ({@link social.coves.lexicon.CovesLexicons#repoMismatch}); {@code configSchema} stays raw JSON (a JSON
 * Schema the communities' settings follow, stored and served as-is).
 */
public record AggregatorService(Did did, String displayName, String description, Blob avatar, JsonNode configSchema,
                                Uri sourceUrl, Did maintainer, Datetime createdAt) implements CovesRecord {

    public static AggregatorService fromJson(JsonNode json) {
        Fields f = Fields.of(json, "$");
        return new AggregatorService(f.parsed("did", Did::parse), f.string("displayName"), f.optionalString("description"),
                f.optionalObject("avatar", Blob::read), f.raw("configSchema"), f.optionalParsed("sourceUrl", Uri::parse),
                f.optionalParsed("maintainer", Did::parse), f.parsed("createdAt", Datetime::parse));
    }

    @Override
    public String collection() {
        return CovesCollections.AGGREGATOR_SERVICE;
    }
}
