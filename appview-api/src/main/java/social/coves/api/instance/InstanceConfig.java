package social.coves.api.instance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The instance this AppView hosts communities for: its PDS, the handle domain of community accounts, who may create
 * communities, and how long we wait for the PDS.
 */
@ConfigMapping(prefix = "coves.instance")
public interface InstanceConfig {

    /** {@code COVES_INSTANCE_PDS_URL}: where community accounts live. Without it, the community writes answer 501. */
    Optional<URI> pdsUrl();

    /** {@code COVES_INSTANCE_DOMAIN}: community handles are {@code c-{name}.{domain}}. */
    @WithDefault("coves.test")
    String domain();

    /** DIDs allowed to create communities; empty = every authenticated caller. */
    Optional<Set<String>> communityCreators();

    /** Connect timeout to the PDS. */
    @WithDefault("2s")
    Duration pdsConnectTimeout();

    /** Whole-call timeout of one PDS request (a timeout answers 504 {@code UpstreamTimeout}). */
    @WithDefault("10s")
    Duration pdsTimeout();

    /** A community access token is refreshed when it expires within this margin. */
    @WithDefault("5m")
    Duration refreshMargin();

    /** How long a community's content rules (its {@code social.coves.community.rules/self} record) are cached. */
    @WithDefault("30s")
    Duration rulesCacheTtl();

    /**
     * A community whose creation stopped between its steps (its creator never retried) and has not moved for this
     * long may be finished by another account, so an abandoned attempt cannot hold its name forever.
     */
    @WithDefault("10m")
    Duration abandonedCreationAfter();

    Writes writes();

    interface Writes {
        /** Write procedures per caller DID per minute (every procedure together). */
        @WithDefault("60")
        int perMinute();

        /** {@code community.create} per caller DID per minute, in addition. */
        @WithDefault("5")
        int createCommunityPerMinute();
    }

    /** The handle of a community named {@code name}. */
    default String handleOf(String name) {
        return "c-" + name + "." + domain();
    }

    /** Whether {@code did} may create communities. */
    default boolean mayCreateCommunities(String did) {
        return communityCreators().map(allowed -> allowed.contains(did)).orElse(true);
    }
}
