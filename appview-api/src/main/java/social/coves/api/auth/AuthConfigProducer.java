package social.coves.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/** Reads {@link AuthConfig} from configuration. */
@ApplicationScoped
public class AuthConfigProducer {

    @Produces
    @jakarta.inject.Singleton
    AuthConfig authConfig(@ConfigProperty(name = "coves.appview.did") String did,
                          @ConfigProperty(name = "coves.appview.service-id", defaultValue = "coves_appview") String serviceId,
                          @ConfigProperty(name = "coves.auth.clock-skew", defaultValue = "PT5S") Duration skew,
                          @ConfigProperty(name = "coves.auth.max-lifetime", defaultValue = "PT1H") Duration maxLifetime,
                          @ConfigProperty(name = "coves.auth.refresh-interval", defaultValue = "PT30S") Duration refresh,
                          @ConfigProperty(name = "coves.auth.require-low-s", defaultValue = "true") boolean requireLowS,
                          @ConfigProperty(name = "coves.auth.verified-signatures", defaultValue = "10000") long verifiedSignatures) {
        return new AuthConfig(did, serviceId, skew, maxLifetime, refresh, requireLowS, verifiedSignatures);
    }
}
