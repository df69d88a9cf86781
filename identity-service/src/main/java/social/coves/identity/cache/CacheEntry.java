package social.coves.identity.cache;

import social.coves.identity.resolution.DidDocument;
import social.coves.identity.resolution.Lookup;

import java.time.Instant;
import java.util.Optional;

/** A cached {@link Lookup} with its ages; DID entries that were found also carry the parsed document. */
public record CacheEntry(Lookup lookup, Instant fetchedAt, Instant staleAt, Instant expiresAt, Optional<DidDocument> document) {

    public boolean isStale(Instant now) {
        return !now.isBefore(staleAt);
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    static CacheEntry of(String key, Lookup lookup, Instant fetchedAt, Instant staleAt, Instant expiresAt) {
        Optional<DidDocument> document = Optional.empty();
        if (lookup.isFound() && key.startsWith("did:")) {
            document = Optional.of(DidDocument.parse(key, lookup.value()));
        }
        return new CacheEntry(lookup, fetchedAt, staleAt, expiresAt, document);
    }
}
