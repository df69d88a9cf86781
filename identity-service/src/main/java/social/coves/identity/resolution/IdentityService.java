package social.coves.identity.resolution;

import jakarta.enterprise.context.ApplicationScoped;
import social.coves.identity.cache.CacheEntry;
import social.coves.identity.cache.IdentityCache;
import social.coves.identity.cache.IdentityClock;
import social.coves.identity.config.IdentityConfig;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.DidMethodRules;
import social.coves.lexicon.syntax.Handle;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The resolution rules on top of the cache: handle → DID, DID → document, and the bidirectional check
 * (by handle: the document must claim the handle, else HandleNotFound; by DID: an unverified handle becomes
 * {@code handle.invalid}).
 */
@ApplicationScoped
public class IdentityService {

    private final IdentityCache cache;
    private final DidFetcher didFetcher;
    private final HandleFetcher handleFetcher;
    private final IdentityClock clock;
    private final boolean localMode;
    private final Duration refreshCooldown;
    private final Map<String, Instant> lastRefresh = new ConcurrentHashMap<>();
    private final Entries loading;
    private final Entries cachedOnly = this::cachedEntry;

    public IdentityService(IdentityCache cache, DidFetcher didFetcher, HandleFetcher handleFetcher, IdentityClock clock,
                           IdentityConfig config) {
        this.cache = cache;
        this.didFetcher = didFetcher;
        this.handleFetcher = handleFetcher;
        this.clock = clock;
        this.localMode = config.localMode();
        this.refreshCooldown = config.cache().refreshCooldown();
        this.loading = cache::get;
    }

    /** handle → DID (without the bidirectional check, as com.atproto.identity.resolveHandle allows). */
    public String resolveHandle(String input) {
        return resolveHandle(input, loading);
    }

    public DidDocument resolveDid(String input) {
        return resolveDid(input, loading);
    }

    public Identity resolveIdentity(String identifier) {
        return resolveIdentity(identifier, loading);
    }

    /**
     * The same answers from what this pod already holds, without waiting or touching the network (event-loop safe):
     * empty when any entry the answer needs is missing or still loading. Cached negative answers throw as usual.
     */
    public Optional<String> resolveHandleIfCached(String input) {
        return ifCached(() -> resolveHandle(input, cachedOnly));
    }

    public Optional<DidDocument> resolveDidIfCached(String input) {
        return ifCached(() -> resolveDid(input, cachedOnly));
    }

    public Optional<Identity> resolveIdentityIfCached(String identifier) {
        return ifCached(() -> resolveIdentity(identifier, cachedOnly));
    }

    private String resolveHandle(String input, Entries entries) {
        String handle = normalizeHandle(input);
        Lookup lookup = handleEntry(handle, entries).lookup();
        return switch (lookup.status()) {
            case FOUND -> lookup.value();
            case FAILED -> throw new IdentityError(IdentityError.Kind.UPSTREAM_FAILURE, "could not resolve handle: " + lookup.message());
            default -> throw new IdentityError(IdentityError.Kind.HANDLE_NOT_FOUND, "handle does not resolve to a DID: " + lookup.message());
        };
    }

    private DidDocument resolveDid(String input, Entries entries) {
        Did did = parseDid(input);
        CacheEntry entry = entries.get(did.value(), () -> didFetcher.fetch(did));
        return document(did.value(), entry);
    }

    private Identity resolveIdentity(String identifier, Entries entries) {
        if (identifier != null && identifier.startsWith("did:")) {
            DidDocument document = resolveDid(identifier, entries);
            return new Identity(document.did(), verifiedHandle(document, entries), document);
        }
        String handle = normalizeHandle(identifier);
        String did = resolveHandle(handle, entries);
        DidDocument document = resolveDid(did, entries);
        if (!document.claimedHandle().map(handle::equals).orElse(false)) {
            throw new IdentityError(IdentityError.Kind.HANDLE_NOT_FOUND,
                    "handle " + handle + " points to " + did + " but the DID document does not claim it (alsoKnownAs)");
        }
        return new Identity(did, handle, document);
    }

    /** Forces a fresh network resolution of the identifier (and what it leads to), at most once per cool-down. */
    public Identity refreshIdentity(String identifier) {
        if (identifier == null || identifier.isBlank()) {
            throw new IdentityError(IdentityError.Kind.INVALID_REQUEST, "identifier is required");
        }
        String key = identifier.startsWith("did:") ? parseDid(identifier).value() : IdentityCache.handleKey(normalizeHandle(identifier));
        Instant now = clock.now();
        Instant previous = lastRefresh.get(key);
        if (previous != null && now.isBefore(previous.plus(refreshCooldown))) {
            return resolveIdentity(identifier);   // within the cool-down: answer from the cache
        }
        lastRefresh.put(key, now);
        if (lastRefresh.size() > 100_000) {
            lastRefresh.entrySet().removeIf(e -> e.getValue().plus(refreshCooldown).isBefore(now));
        }
        if (identifier.startsWith("did:")) {
            Did did = parseDid(identifier);
            cache.reload(did.value(), () -> didFetcher.fetch(did));
        } else {
            String handle = normalizeHandle(identifier);
            CacheEntry entry = cache.reload(key, () -> handleFetcher.fetch(handle));
            if (entry.lookup().isFound()) {
                Did did = Did.parse(entry.lookup().value());
                cache.reload(did.value(), () -> didFetcher.fetch(did));
            }
        }
        return resolveIdentity(identifier);
    }

    /** Purge hook for identity/account events. */
    public void purge(String did, Optional<String> eventHandle) {
        String[] extra = eventHandle.filter(Handle::isValid)
                .map(h -> new String[]{IdentityCache.handleKey(h.toLowerCase(Locale.ROOT))}).orElse(new String[0]);
        cache.purgeDid(did, extra);
    }

    private String verifiedHandle(DidDocument document, Entries entries) {
        Optional<String> claimed = document.claimedHandle();
        if (claimed.isEmpty() || ReservedNames.isReserved(claimed.get(), localMode)) {
            return Identity.INVALID_HANDLE;
        }
        Lookup lookup = handleEntry(claimed.get(), entries).lookup();
        return lookup.isFound() && document.did().equals(lookup.value()) ? claimed.get() : Identity.INVALID_HANDLE;
    }

    private CacheEntry handleEntry(String handle, Entries entries) {
        return entries.get(IdentityCache.handleKey(handle), () -> handleFetcher.fetch(handle));
    }

    /** How the rules reach the cache: loading on a miss (may block), or from finished local entries only. */
    @FunctionalInterface
    private interface Entries {
        CacheEntry get(String key, Supplier<Lookup> loader);
    }

    /** Thrown (without a stack trace) when an entry is not cached; turned into an empty answer. */
    private static final class NotCached extends RuntimeException {
        static final NotCached INSTANCE = new NotCached();

        private NotCached() {
            super("not cached", null, false, false);
        }
    }

    private CacheEntry cachedEntry(String key, Supplier<Lookup> loader) {
        CacheEntry entry = cache.getIfCached(key, loader);
        if (entry == null) {
            throw NotCached.INSTANCE;
        }
        return entry;
    }

    private static <T> Optional<T> ifCached(Supplier<T> answer) {
        try {
            return Optional.of(answer.get());
        } catch (NotCached e) {
            return Optional.empty();
        }
    }

    private static DidDocument document(String did, CacheEntry entry) {
        Lookup lookup = entry.lookup();
        return switch (lookup.status()) {
            case FOUND -> entry.document().orElseThrow();
            case DEACTIVATED -> throw new IdentityError(IdentityError.Kind.DID_DEACTIVATED, did + " is deactivated");
            case NOT_FOUND, INVALID -> throw new IdentityError(IdentityError.Kind.DID_NOT_FOUND, did + ": " + lookup.message());
            case FAILED -> throw new IdentityError(IdentityError.Kind.UPSTREAM_FAILURE, "could not resolve " + did + ": " + lookup.message());
        };
    }

    private String normalizeHandle(String input) {
        if (input == null || input.isBlank()) {
            throw new IdentityError(IdentityError.Kind.INVALID_REQUEST, "handle is required");
        }
        if (!Handle.isValid(input)) {
            throw new IdentityError(IdentityError.Kind.INVALID_REQUEST, "not a valid handle: " + input);
        }
        String handle = input.toLowerCase(Locale.ROOT);
        if (handle.equals(Identity.INVALID_HANDLE) || ReservedNames.isReserved(handle, localMode)) {
            throw new IdentityError(IdentityError.Kind.HANDLE_NOT_FOUND, "handle uses a reserved top-level domain: " + handle);
        }
        return handle;
    }

    private static Did parseDid(String input) {
        if (input == null || input.isBlank()) {
            throw new IdentityError(IdentityError.Kind.INVALID_REQUEST, "did is required");
        }
        if (!Did.isValid(input)) {
            throw new IdentityError(IdentityError.Kind.INVALID_REQUEST, "not a valid DID: " + input);
        }
        Did did = Did.parse(input);
        if (!did.method().equals("plc") && !did.method().equals("web")) {
            throw new IdentityError(IdentityError.Kind.INVALID_REQUEST, "unsupported DID method: " + did.method());
        }
        DidMethodRules.violation(did).ifPresent(reason -> {
            throw new IdentityError(IdentityError.Kind.INVALID_REQUEST, "not a valid DID: " + input + " (" + reason + ")");
        });
        return did;
    }
}
