package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.syntax.Datetime;
import social.coves.lexicon.syntax.Did;

import java.util.List;

/**
 * {@code social.coves.community.profile} (rkey {@code self}, in the community's repo). {@code handle} is not in the
 * lexicon but the Coves AppView writes it and prefers it over DID resolution, so it is read when present.
 * {@code descriptionFacets} stays raw JSON: it is stored and served as-is.
 */
public record CommunityProfile(String name, String displayName, String description, JsonNode descriptionFacets,
                               Blob avatar, Blob banner, Did createdBy, Did hostedBy, String visibility,
                               String moderationType, List<String> contentWarnings, Datetime createdAt, String handle)
        implements CovesRecord {

    public static final String DEFAULT_VISIBILITY = "public";
    public static final String DEFAULT_MODERATION_TYPE = "moderator";

    public static CommunityProfile fromJson(JsonNode json) {
        Fields f = Fields.of(json, "$");
        String visibility = f.optionalString("visibility");
        String moderationType = f.optionalString("moderationType");
        return new CommunityProfile(f.string("name"), f.optionalString("displayName"), f.optionalString("description"),
                f.raw("descriptionFacets"), f.optionalObject("avatar", Blob::read), f.optionalObject("banner", Blob::read),
                f.parsed("createdBy", Did::parse), f.parsed("hostedBy", Did::parse),
                visibility == null ? DEFAULT_VISIBILITY : visibility,
                moderationType == null ? DEFAULT_MODERATION_TYPE : moderationType,
                f.strings("contentWarnings"), f.parsed("createdAt", Datetime::parse), f.optionalString("handle"));
    }

    @Override
    public String collection() {
        return CovesCollections.COMMUNITY_PROFILE;
    }
}
