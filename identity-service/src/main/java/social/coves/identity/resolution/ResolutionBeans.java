package social.coves.identity.resolution;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import social.coves.identity.config.IdentityConfig;
import social.coves.identity.dns.DnsjavaResolver;
import social.coves.identity.metrics.IdentityMetrics;
import social.coves.identity.safety.AddressPolicy;
import social.coves.identity.safety.FetchGate;
import social.coves.identity.safety.SafeHttpClient;
import social.coves.identity.safety.TlsTrust;

import java.util.List;

/** Wires the plain (CDI-free, unit-testable) resolution classes from configuration. */
@ApplicationScoped
public class ResolutionBeans {

    private static final Logger LOG = Logger.getLogger(ResolutionBeans.class);

    @Produces
    @Singleton
    DnsjavaResolver dns(IdentityConfig config) {
        return new DnsjavaResolver(config.dns().servers().orElse(List.of()), config.dns().timeout(),
                config.localMode() ? config.localLoopbackDomains().orElse(List.of()) : List.of());
    }

    @Produces
    @Singleton
    GuardedFetcher guardedFetcher(IdentityConfig config, DnsjavaResolver dns, IdentityMetrics metrics) {
        IdentityConfig.Fetch fetch = config.fetch();
        fetch.extraTrustedCertificates().ifPresent(pem ->
                LOG.warnf("trusting the certificates in %s in addition to the default CAs (tests only)", pem));
        SafeHttpClient client = new SafeHttpClient(new AddressPolicy(config.localMode()), dns,
                new SafeHttpClient.Settings(fetch.connectTimeout(), fetch.readTimeout(), fetch.totalTimeout(), fetch.userAgent()),
                TlsTrust.socketFactory(fetch.extraTrustedCertificates()));
        IdentityConfig.Limits limits = config.limits();
        FetchGate gate = new FetchGate(new FetchGate.Settings(limits.maxConcurrentFetches(), limits.fetchSlotWait(),
                limits.perHostPerSecond(), limits.perHostBurst(), limits.plcPerSecond(), limits.plcBurst()));
        return new GuardedFetcher(client, gate, metrics);
    }

    @Produces
    @Singleton
    DidFetcher didFetcher(IdentityConfig config, GuardedFetcher fetcher, IdentityMetrics metrics) {
        return new DidFetcher(fetcher, config.plcUrl(), config.localMode(), config.localHttpPort(),
                config.fetch().maxDocumentBytes(), metrics);
    }

    @Produces
    @Singleton
    HandleFetcher handleFetcher(IdentityConfig config, DnsjavaResolver dns, GuardedFetcher fetcher, IdentityMetrics metrics) {
        return new HandleFetcher(dns, fetcher, config.localMode(), config.localHttpPort(),
                config.fetch().maxWellKnownBytes(), metrics);
    }
}
