package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.syntax.Datetime;
import social.coves.lexicon.syntax.Did;

/** {@code social.coves.community.subscription} (in the subscriber's repo). */
public record CommunitySubscription(Did subject, Datetime createdAt, Datetime endedAt, Integer contentVisibility)
        implements CovesRecord {

    public static final int DEFAULT_CONTENT_VISIBILITY = 3;

    public static CommunitySubscription fromJson(JsonNode json) {
        Fields f = Fields.of(json, "$");
        Long visibility = f.optionalLong("contentVisibility");
        return new CommunitySubscription(f.parsed("subject", Did::parse), f.parsed("createdAt", Datetime::parse),
                f.optionalParsed("endedAt", Datetime::parse), visibility == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, visibility)));
    }

    /** The visibility to index: absent means 3, and out-of-range values are clamped to 1..5 as the Go AppView does. */
    public int effectiveContentVisibility() {
        return contentVisibility == null ? DEFAULT_CONTENT_VISIBILITY : Math.max(1, Math.min(5, contentVisibility));
    }

    @Override
    public String collection() {
        return CovesCollections.COMMUNITY_SUBSCRIPTION;
    }
}
