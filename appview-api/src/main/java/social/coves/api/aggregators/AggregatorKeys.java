package social.coves.api.aggregators;

import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.auth.AuthException;
import social.coves.api.auth.Viewer;
import social.coves.api.posts.PostRows;
import social.coves.api.xrpc.XrpcException;

import java.time.Instant;
import java.util.Optional;

/** Making, describing, revoking and checking aggregator API keys (one live key per registered aggregator). */
@ApplicationScoped
public class AggregatorKeys {

    /** A new key, shown once. */
    public record NewKey(String key, String keyPrefix, String did, String createdAt) {
    }

    private final AggregatorStore store;

    public AggregatorKeys(AggregatorStore store) {
        this.store = store;
    }

    /** The caller of an {@code Authorization: Bearer ckapi_…} header; 401 for a malformed, unknown or revoked key. */
    public Viewer authenticate(String authorization) {
        String key = ApiKeys.keyOf(authorization);
        return store.ownerOfKey(ApiKeys.hash(key)).map(Viewer::new)
                .orElseThrow(() -> new AuthException("InvalidToken", "unknown or revoked API key " + ApiKeys.shownPrefix(key) + "…"));
    }

    /** A new key for {@code did}; the previous one (if any) stops working at once. */
    public NewKey create(String did) {
        requireRegistered(did);
        String key = ApiKeys.generate();
        Instant createdAt = store.replaceKey(did, ApiKeys.shownPrefix(key), ApiKeys.hash(key));
        return new NewKey(key, ApiKeys.shownPrefix(key), did, PostRows.timestamp(createdAt));
    }

    public Optional<AggregatorStore.KeyInfo> describe(String did) {
        requireRegistered(did);
        return store.keyInfo(did);
    }

    public Instant revoke(String did) {
        requireRegistered(did);
        return store.revoke(did).orElseThrow(() -> store.keyInfo(did).isPresent()
                ? new XrpcException(400, "ApiKeyAlreadyRevoked", "the API key of " + did + " is revoked already")
                : new XrpcException(404, "ApiKeyNotFound", did + " has no API key to revoke"));
    }

    private void requireRegistered(String did) {
        if (!store.isRegistered(did)) {
            throw new XrpcException(403, "AggregatorRequired", did + " is not a registered aggregator: call "
                    + "social.coves.aggregator.register first");
        }
    }
}
