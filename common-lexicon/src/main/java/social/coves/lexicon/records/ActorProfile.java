package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.syntax.Datetime;

/**
 * {@code social.coves.actor.profile} (rkey {@code self}). The lexicon field is {@code bio}, but the Coves AppView's
 * own {@code updateProfile} writes {@code description} and omits {@code createdAt}; both spellings are read and
 * {@code createdAt} may be null so that those records still index.
 */
public record ActorProfile(String displayName, String bio, JsonNode bioFacets, Blob avatar, Blob banner,
                           Datetime createdAt) implements CovesRecord {

    public static ActorProfile fromJson(JsonNode json) {
        Fields f = Fields.of(json, "$");
        String bio = f.optionalString("bio");
        if (bio == null) {
            bio = f.optionalString("description");
        }
        return new ActorProfile(f.optionalString("displayName"), bio, f.raw("bioFacets"),
                f.optionalObject("avatar", Blob::read), f.optionalObject("banner", Blob::read),
                f.optionalParsed("createdAt", Datetime::parse));
    }

    @Override
    public String collection() {
        return CovesCollections.ACTOR_PROFILE;
    }
}
