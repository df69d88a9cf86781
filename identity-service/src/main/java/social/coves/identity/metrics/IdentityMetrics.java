package social.coves.identity.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.identity.safety.FetchFailure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's meters. {@code coves_identity_lookups_total{source,outcome}} counts network resolutions,
 * {@code coves_identity_cache_requests_total{result=hit|stale|shared|miss}} gives the hit ratio,
 * {@code coves_identity_fetch_seconds{source}} the fetch latency and {@code coves_identity_refusals_total{reason}}
 * what the safety rules turned away, {@code coves_identity_domain_checks_total{reason}} the domain DID checks,
 * {@code coves_identity_oauth_server_lookups_total{outcome}} the resolveOAuthServer answers and
 * {@code coves_identity_oauth_documents_total{document,outcome}} the OAuth metadata fetches (cache misses).
 */
@ApplicationScoped
public class IdentityMetrics {

    private final MeterRegistry registry;
    /** Counted on every request (hits included), so the counters are looked up once, not built per call. */
    private final Map<String, Counter> cacheCounters = new ConcurrentHashMap<>();

    public IdentityMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void lookup(String source, String outcome) {
        Counter.builder("coves.identity.lookups").description("Network resolutions by source and outcome")
                .tag("source", source).tag("outcome", outcome).register(registry).increment();
    }

    public void cache(String result) {
        cacheCounters.computeIfAbsent(result, r -> Counter.builder("coves.identity.cache.requests")
                .description("Cache requests by result (hit, stale, shared, miss)")
                .tag("result", r).register(registry)).increment();
    }

    public void fetchTime(String source, Duration duration) {
        Timer.builder("coves.identity.fetch").description("Outbound identity fetch latency")
                .tag("source", source).publishPercentileHistogram().register(registry).record(duration);
    }

    public void refusal(FetchFailure reason) {
        Counter.builder("coves.identity.refusals").description("Outbound fetches refused by a safety rule")
                .tag("reason", reason.label()).register(registry).increment();
    }

    /** One {@code verifyWellKnownDid} answer, by reason ({@code Verified}, {@code Mismatch}, {@code Refused}, ...). */
    public void domainCheck(String reason) {
        Counter.builder("coves.identity.domain.checks").description("Domain well-known DID checks by reason")
                .tag("reason", reason).register(registry).increment();
    }

    /** One {@code resolveOAuthServer} answer: {@code found} or the error ({@code no_pds}, {@code upstream_failure}, ...). */
    public void oauthServerLookup(String outcome) {
        Counter.builder("coves.identity.oauth.server.lookups").description("resolveOAuthServer answers by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    /**
     * One OAuth metadata fetch ({@code document} = {@code protected_resource} or {@code authorization_server}) by
     * outcome: {@code valid}, {@code invalid} (not JSON, a rule broken, an HTTP error status), {@code refused} (a
     * safety rule), {@code failed} (network).
     */
    public void oauthDocument(String document, String outcome) {
        Counter.builder("coves.identity.oauth.documents").description("OAuth metadata fetches by document and outcome")
                .tag("document", document).tag("outcome", outcome).register(registry).increment();
    }

    public void purge(String kind) {
        Counter.builder("coves.identity.purges").description("Cache purges by identity/account events")
                .tag("kind", kind).register(registry).increment();
    }
}
