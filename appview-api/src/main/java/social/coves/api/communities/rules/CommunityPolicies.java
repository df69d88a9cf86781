package social.coves.api.communities.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import social.coves.api.metrics.CacheMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.communities.accounts.CommunityAccount;
import social.coves.api.instance.InstanceConfig;
import social.coves.api.pds.PdsClient;
import social.coves.lexicon.CovesCollections;

/**
 * A hosted community's policy, read from its own repository (the profile and the rules record, public reads on its
 * PDS) and kept {@code coves.instance.rules-cache-ttl}; an update through this replica forgets it at once, other
 * replicas see it within the ttl. The repository, not the index, is the source: a community created a moment ago
 * has its rules before Jetstream brings them back.
 */
@ApplicationScoped
public class CommunityPolicies {

    private final PdsClient pds;
    private final Cache<String, CommunityPolicy> cache;

    public CommunityPolicies(PdsClient pds, InstanceConfig config, MeterRegistry metrics) {
        this.pds = pds;
        this.cache = CacheMetrics.monitor(metrics, "community_rules",
                Caffeine.newBuilder().recordStats().maximumSize(10_000).expireAfterWrite(config.rulesCacheTtl()).build());
    }

    public CommunityPolicy of(CommunityAccount community) {
        return cache.get(community.did(), did -> load(community));
    }

    public void forget(String did) {
        cache.invalidate(did);
    }

    private CommunityPolicy load(CommunityAccount community) {
        JsonNode profile = pds.getRecord(community.pds(), community.did(), CovesCollections.COMMUNITY_PROFILE, "self")
                .map(r -> r.path("value")).orElse(null);
        ContentRules rules = pds.getRecord(community.pds(), community.did(), ContentRules.COLLECTION, "self")
                .map(r -> ContentRules.from(r.path("value"))).orElse(ContentRules.NONE);
        String visibility = profile == null ? "public" : profile.path("visibility").asText("public");
        String createdBy = profile == null ? community.createdBy() : profile.path("createdBy").asText(community.createdBy());
        return new CommunityPolicy(visibility, createdBy, rules);
    }
}
