package social.coves.api.aggregators;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** The shapes of {@code social.coves.aggregator.defs} the queries answer with. */
public final class AggregatorViews {

    static final String VIEW = "social.coves.aggregator.defs#aggregatorView";
    static final String VIEW_DETAILED = "social.coves.aggregator.defs#aggregatorViewDetailed";

    private AggregatorViews() {
    }

    /** {@code #aggregatorView}, or {@code #aggregatorViewDetailed} when {@code stats} is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Aggregator(@JsonProperty("$type") String type, String did, String displayName, String description,
                             String avatar, JsonNode configSchema, String sourceUrl, String maintainer, String createdAt,
                             String recordUri, Stats stats) {
    }

    public record Stats(long communitiesUsing, long postsCreated) {
    }

    /**
     * {@code #communityAuthView}: what an aggregator sees of one community's authorization. The lexicon leaves out
     * which community; {@code communityDid}, {@code communityHandle} and {@code communityName} say it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommunityAuthorization(Aggregator aggregator, String communityDid, String communityHandle, String communityName,
                                         boolean enabled, JsonNode config, String createdAt, String recordUri) {
    }

    /** {@code #authorizationView}: one authorization as the community's settings list it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Authorization(String aggregatorDid, String communityDid, String communityHandle, String communityName,
                                boolean enabled, JsonNode config, String createdAt, String createdBy, String disabledAt,
                                String disabledBy, String recordUri) {
    }

    public record Services(List<Aggregator> views) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Authorizations(List<CommunityAuthorization> authorizations, String cursor) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommunityAggregators(List<Authorization> aggregators, String cursor) {
    }
}
