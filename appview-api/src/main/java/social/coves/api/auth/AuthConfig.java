package social.coves.api.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/** Who we are to service-auth tokens, and how strict we are. */
@ConfigMapping(prefix = "coves")
public interface AuthConfig {

    /** The AppView's DID ({@code COVES_APPVIEW_DID}); tokens must name it (bare, or with our service id) as {@code aud}. */
    @WithName("appview.did")
    String appviewDid();

    /** Our service id in our DID document, e.g. {@code coves_appview} → {@code did:web:host#coves_appview}. */
    @WithName("appview.service-id")
    @WithDefault("coves_appview")
    String serviceId();

    /** Allowed clock skew for {@code exp}/{@code iat}. */
    @WithName("auth.clock-skew")
    @WithDefault("PT5S")
    Duration clockSkew();

    /** Longest token lifetime accepted ({@code exp - iat}, and {@code exp - now}). */
    @WithName("auth.max-lifetime")
    @WithDefault("PT1H")
    Duration maxLifetime();

    /** How often a DID's key may be force-refreshed after a signature failure. */
    @WithName("auth.refresh-interval")
    @WithDefault("PT30S")
    Duration refreshInterval();
}
