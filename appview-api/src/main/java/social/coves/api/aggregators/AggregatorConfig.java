package social.coves.api.aggregators;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;
import java.util.Set;

/** {@code coves.aggregators.*}: how much aggregators may post, and how often anyone may try to register one. */
@ConfigMapping(prefix = "coves.aggregators")
public interface AggregatorConfig {

    /** Posts per aggregator and community in any rolling hour, counted across all API replicas (in PostgreSQL). */
    @WithDefault("10")
    int postsPerHour();

    /** Aggregator DIDs exempt from {@link #postsPerHour()} (they still need an enabled authorization). */
    Optional<Set<String>> trusted();

    /** {@code aggregator.register} calls per client address in any ten minutes (per replica). */
    @WithDefault("10")
    int registerPerTenMinutes();

    default boolean isTrusted(String did) {
        return trusted().map(t -> t.contains(did)).orElse(false);
    }
}
