package social.coves.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import social.coves.lexicon.crypto.Multikey;

import java.time.Duration;
import java.time.Instant;

/**
 * Signing keys from identity-service ({@code resolveDid} → the DID document's {@code #atproto} verification method),
 * cached here for a few minutes. A forced refresh asks identity-service to refresh, at most once per DID per
 * {@code coves.auth.refresh-interval}, so garbage tokens naming popular DIDs cannot hammer the PLC directory.
 */
@ApplicationScoped
public class IdentityServiceKeys implements IssuerKeys {

    private final IdentityServiceClient identity;
    private final Duration refreshInterval;
    private final Cache<String, Multikey> keys = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).build();
    private final Cache<String, Instant> lastRefresh = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(5)).build();

    public IdentityServiceKeys(@RestClient IdentityServiceClient identity, AuthConfig config) {
        this.identity = identity;
        this.refreshInterval = config.refreshInterval();
    }

    @Override
    public Uni<Multikey> signingKey(String did, boolean forceRefresh) {
        Multikey cached = keys.getIfPresent(did);
        if (cached != null && !forceRefresh) {
            return Uni.createFrom().item(cached);
        }
        if (forceRefresh) {
            Instant last = lastRefresh.getIfPresent(did);
            if (last != null && last.plus(refreshInterval).isAfter(Instant.now()) && cached != null) {
                return Uni.createFrom().item(cached);
            }
            lastRefresh.put(did, Instant.now());
        }
        Uni<JsonNode> response = forceRefresh ? identity.refreshIdentity(did) : identity.resolveDid(did);
        return response.map(body -> {
            Multikey key = AtprotoKey.fromDidDocument(did, body.path("didDoc"));
            keys.put(did, key);
            return key;
        });
    }
}
