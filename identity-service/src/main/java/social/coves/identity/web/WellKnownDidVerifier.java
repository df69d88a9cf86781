package social.coves.identity.web;

import jakarta.enterprise.context.ApplicationScoped;
import social.coves.identity.config.IdentityConfig;
import social.coves.identity.metrics.IdentityMetrics;
import social.coves.identity.resolution.GuardedFetcher;
import social.coves.identity.resolution.WellKnownDid;
import social.coves.identity.safety.FetchException;
import social.coves.identity.safety.FetchFailure;
import social.coves.identity.safety.HttpResult;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.DidMethodRules;

import java.net.URI;
import java.util.Optional;

import static social.coves.identity.web.WellKnownDidVerdict.FETCH_FAILED;
import static social.coves.identity.web.WellKnownDidVerdict.INVALID_DID;
import static social.coves.identity.web.WellKnownDidVerdict.INVALID_DOMAIN;
import static social.coves.identity.web.WellKnownDidVerdict.MISMATCH;
import static social.coves.identity.web.WellKnownDidVerdict.NOT_A_DID;
import static social.coves.identity.web.WellKnownDidVerdict.NOT_FOUND;
import static social.coves.identity.web.WellKnownDidVerdict.REDIRECT;
import static social.coves.identity.web.WellKnownDidVerdict.REFUSED;
import static social.coves.identity.web.WellKnownDidVerdict.TOO_LARGE;
import static social.coves.identity.web.WellKnownDidVerdict.VERIFIED;

/**
 * Does {@code https://<domain>/.well-known/atproto-did} name exactly this DID? Asked by the API when an aggregator
 * registers a domain. Always HTTPS (local mode too), fetched every time (no cache: registration is rare and must see
 * the current file) through {@link GuardedFetcher}, so the per-host rate limit, the fetch slots and every rule of
 * {@code SafeHttpClient} apply: checked addresses only, no redirects, the well-known size cap, timeouts. The file is
 * read as for handles ({@link WellKnownDid}).
 */
@ApplicationScoped
public class WellKnownDidVerifier {

    private final GuardedFetcher fetcher;
    private final IdentityMetrics metrics;
    private final boolean localMode;
    private final int maxBytes;

    public WellKnownDidVerifier(IdentityConfig config, GuardedFetcher fetcher, IdentityMetrics metrics) {
        this.fetcher = fetcher;
        this.metrics = metrics;
        this.localMode = config.localMode();
        this.maxBytes = config.fetch().maxWellKnownBytes();
    }

    /** Both arguments present (the resource answers a missing one with InvalidRequest). */
    public WellKnownDidVerdict verify(String domainInput, String did) {
        WellKnownDidVerdict verdict = check(domainInput, did);
        metrics.domainCheck(verdict.reason());
        return verdict;
    }

    private WellKnownDidVerdict check(String domainInput, String did) {
        DomainInput.Parsed parsed = DomainInput.parse(domainInput, localMode);
        if (!parsed.ok()) {
            return no(INVALID_DOMAIN, parsed.problem(), null, did);
        }
        String domain = parsed.domain();
        Optional<String> badDid = didProblem(did);
        if (badDid.isPresent()) {
            return no(INVALID_DID, badDid.get(), domain, did);
        }
        URI uri = URI.create("https://" + domain + WellKnownDid.PATH);
        HttpResult response;
        try {
            response = fetcher.get("domain", uri, maxBytes, WellKnownDid.ACCEPT, false);
        } catch (FetchException e) {
            return no(reason(e.failure()), e.getMessage(), domain, did);
        }
        if (WellKnownDid.isAbsent(response.status())) {
            return no(NOT_FOUND, uri + " answered HTTP " + response.status(), domain, did);
        }
        if (!response.isSuccess()) {
            return no(FETCH_FAILED, uri + " answered HTTP " + response.status(), domain, did);
        }
        Optional<String> served = WellKnownDid.did(response.bodyText());
        if (served.isEmpty()) {
            return no(NOT_A_DID, "the first line of " + uri + " is not a DID", domain, did);
        }
        if (!served.get().equals(did)) {
            return no(MISMATCH, uri + " names " + served.get() + ", not " + did, domain, did);
        }
        return new WellKnownDidVerdict(true, VERIFIED, uri + " names " + did, domain, did);
    }

    private static Optional<String> didProblem(String did) {
        if (!Did.isValid(did)) {
            return Optional.of("not a DID: " + did);
        }
        String method = Did.parse(did).method();
        if (!method.equals("plc") && !method.equals("web")) {
            return Optional.of("only did:plc and did:web are supported, not did:" + method);
        }
        return DidMethodRules.violation(Did.parse(did));
    }

    private static String reason(FetchFailure failure) {
        return switch (failure) {
            case REDIRECT -> REDIRECT;
            case TOO_LARGE -> TOO_LARGE;
            case NO_ADDRESS -> NOT_FOUND;
            // the admission gate saying "not now" is a failure to fetch, not a verdict on the domain
            case RATE_LIMITED, BUSY, TIMEOUT, BAD_RESPONSE, IO -> FETCH_FAILED;
            case PRIVATE_ADDRESS, LOOPBACK_ADDRESS, LINK_LOCAL_ADDRESS, METADATA_ADDRESS, NON_PUBLIC_ADDRESS,
                 IP_LITERAL, FORBIDDEN_PORT, FORBIDDEN_SCHEME, RESERVED_NAME -> REFUSED;
        };
    }

    private static WellKnownDidVerdict no(String reason, String message, String domain, String did) {
        return new WellKnownDidVerdict(false, reason, message, domain, did);
    }
}
