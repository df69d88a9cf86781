package social.coves.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import social.coves.api.metrics.CacheMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import social.coves.lexicon.crypto.Multikey;

import jakarta.ws.rs.WebApplicationException;
import social.coves.api.xrpc.XrpcException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.time.Instant;

/**
 * Signing keys from identity-service ({@code resolveDid} → the DID document's {@code #atproto} verification method),
 * cached here for a few minutes. A forced refresh asks identity-service to refresh, at most once per DID per
 * {@code coves.auth.refresh-interval}, so garbage tokens naming popular DIDs cannot hammer the PLC directory.
 * Concurrent look-ups of one DID share a single request (a burst of first requests from a new client is one fetch).
 */
@ApplicationScoped
public class IdentityServiceKeys implements IssuerKeys {

    private final IdentityServiceClient identity;
    private final Duration refreshInterval;
    private final AsyncCache<String, Multikey> keys = Caffeine.newBuilder().recordStats().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).buildAsync();
    private final Cache<String, Instant> lastRefresh = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(5)).build();

    public IdentityServiceKeys(@RestClient IdentityServiceClient identity, AuthConfig config, MeterRegistry metrics) {
        this.identity = identity;
        this.refreshInterval = config.refreshInterval();
        CacheMetrics.monitor(metrics, "issuer_signing_keys", keys);
    }

    @Override
    public Uni<Multikey> signingKey(String did, boolean forceRefresh) {
        if (!forceRefresh) {
            return Uni.createFrom().completionStage(() -> keys.get(did, (k, executor) -> fetch(identity.resolveDid(k), k).subscribeAsCompletionStage()));
        }
        CompletableFuture<Multikey> current = keys.getIfPresent(did);
        Multikey cached = current != null && current.isDone() && !current.isCompletedExceptionally() ? current.join() : null;
        Instant last = lastRefresh.getIfPresent(did);
        if (last != null && last.plus(refreshInterval).isAfter(Instant.now()) && cached != null) {
            return Uni.createFrom().item(cached);
        }
        lastRefresh.put(did, Instant.now());
        return fetch(identity.refreshIdentity(Map.of("identifier", did)), did)
                .invoke(key -> keys.put(did, CompletableFuture.completedFuture(key)));
    }

    private static Uni<Multikey> fetch(Uni<JsonNode> response, String did) {
        return response.map(body -> AtprotoKey.fromDidDocument(did, body.path("didDoc")))
                .onFailure(WebApplicationException.class).transform(IdentityServiceKeys::explain);
    }

    /** identity-service's 4xx means the issuer does not resolve (401); anything else means we could not ask (503). */
    private static Throwable explain(Throwable failure) {
        int status = ((WebApplicationException) failure).getResponse().getStatus();
        if (status >= 400 && status < 500) {
            return new AuthException("BadJwtIss", "the issuer's DID does not resolve to a usable identity");
        }
        return new XrpcException(503, "IdentityUnavailable", "could not resolve the token issuer right now; retry shortly");
    }
}
