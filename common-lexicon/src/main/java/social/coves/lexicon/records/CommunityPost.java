package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.syntax.AtIdentifier;
import social.coves.lexicon.syntax.Datetime;
import social.coves.lexicon.syntax.Did;

import java.util.List;

/**
 * {@code social.coves.community.post} (in the community's repo). {@code facets} and {@code embed} stay raw JSON:
 * the indexer stores them as JSONB and the API post-processes embeds at read time. {@code labels} are the self-label
 * values.
 */
public record CommunityPost(AtIdentifier community, Did author, String title, String content, JsonNode facets,
                            JsonNode embed, List<String> langs, List<String> labels, List<String> tags,
                            StrongRef crosspostOf, List<StrongRef> crosspostChain, Datetime createdAt)
        implements CovesRecord {

    public static CommunityPost fromJson(JsonNode json) {
        Fields f = Fields.of(json, "$");
        return new CommunityPost(f.parsed("community", AtIdentifier::parse), f.parsed("author", Did::parse),
                f.optionalString("title"), f.optionalString("content"), f.raw("facets"), f.raw("embed"),
                f.strings("langs"), SelfLabels.read(f, "labels"), f.strings("tags"),
                f.optionalObject("crosspostOf", StrongRef::read), f.list("crosspostChain", StrongRef::read),
                f.parsed("createdAt", Datetime::parse));
    }

    /** The {@code $type} of the embed, or null when there is none. */
    public String embedType() {
        return embed == null || !embed.path("$type").isTextual() ? null : embed.get("$type").textValue();
    }

    @Override
    public String collection() {
        return CovesCollections.COMMUNITY_POST;
    }
}
