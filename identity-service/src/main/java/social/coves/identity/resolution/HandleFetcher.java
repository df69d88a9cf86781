package social.coves.identity.resolution;

import social.coves.identity.dns.TxtLookup;
import social.coves.identity.metrics.IdentityMetrics;
import social.coves.identity.safety.FetchException;
import social.coves.identity.safety.HttpResult;
import social.coves.lexicon.syntax.DidMethodRules;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a (normalised, non-reserved) handle to the DID it declares: DNS TXT {@code _atproto.<handle>} first,
 * then {@code https://<handle>/.well-known/atproto-did}. DNS wins whenever it gives an answer, so a conflicting
 * HTTPS answer is never consulted; more than one distinct {@code did=} record is a failure (ambiguous).
 */
public final class HandleFetcher {

    private final TxtLookup dns;
    private final GuardedFetcher fetcher;
    private final boolean localMode;
    private final Optional<Integer> localHttpPort;
    private final int maxBytes;
    private final IdentityMetrics metrics;

    public HandleFetcher(TxtLookup dns, GuardedFetcher fetcher, boolean localMode, Optional<Integer> localHttpPort,
                         int maxBytes, IdentityMetrics metrics) {
        this.dns = dns;
        this.fetcher = fetcher;
        this.localMode = localMode;
        this.localHttpPort = localHttpPort;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    public Lookup fetch(String handle) {
        Lookup viaDns = fromDns(handle);
        metrics.lookup("dns", viaDns.status().label());
        if (viaDns.isFound() || viaDns.status() == Lookup.Status.INVALID) {
            return viaDns;
        }
        Lookup viaHttps = fromWellKnown(handle);
        metrics.lookup("https", viaHttps.status().label());
        if (viaHttps.status() == Lookup.Status.NOT_FOUND && viaDns.status() == Lookup.Status.FAILED) {
            // DNS could not answer: a well-known 404 alone does not prove the handle is unclaimed
            return Lookup.of(Lookup.Status.FAILED, null, viaDns.message() + "; " + viaHttps.message(), "dns");
        }
        return viaHttps;
    }

    private Lookup fromDns(String handle) {
        TxtLookup.TxtAnswer answer = dns.txt("_atproto." + handle);
        if (answer.status() == TxtLookup.TxtAnswer.Status.FAILED) {
            return Lookup.of(Lookup.Status.FAILED, null, answer.message(), "dns");
        }
        Set<String> dids = new LinkedHashSet<>();
        for (String record : answer.records()) {
            if (record.startsWith("did=")) {
                dids.add(record.substring(4));
            }
        }
        if (dids.isEmpty()) {
            return Lookup.of(Lookup.Status.NOT_FOUND, null, "no did= TXT record at _atproto." + handle, "dns");
        }
        if (dids.size() > 1) {
            return Lookup.of(Lookup.Status.INVALID, null, "more than one did= TXT record at _atproto." + handle, "dns");
        }
        String did = dids.iterator().next();
        if (!DidMethodRules.isValid(did)) {
            return Lookup.of(Lookup.Status.INVALID, null, "TXT did= value is not a valid DID", "dns");
        }
        return Lookup.found(did, did, "dns");
    }

    private Lookup fromWellKnown(String handle) {
        URI uri = localMode
                ? URI.create("http://" + handle + ":" + localHttpPort.orElse(80) + WellKnownDid.PATH)
                : URI.create("https://" + handle + WellKnownDid.PATH);
        HttpResult response;
        try {
            response = fetcher.get("https", uri, maxBytes, WellKnownDid.ACCEPT, false);
        } catch (FetchException e) {
            if (e.failure() == social.coves.identity.safety.FetchFailure.NO_ADDRESS) {
                return Lookup.of(Lookup.Status.NOT_FOUND, null, "handle host has no address", "https");
            }
            return Lookup.of(Lookup.Status.FAILED, null, e.getMessage(), "https");
        }
        if (WellKnownDid.isAbsent(response.status())) {
            return Lookup.of(Lookup.Status.NOT_FOUND, null, "no /.well-known/atproto-did (" + response.status() + ")", "https");
        }
        if (!response.isSuccess()) {
            return Lookup.of(Lookup.Status.FAILED, null, "/.well-known/atproto-did answered HTTP " + response.status(), "https");
        }
        Optional<String> did = WellKnownDid.did(response.bodyText());
        if (did.isEmpty()) {
            return Lookup.of(Lookup.Status.INVALID, null, "/.well-known/atproto-did is not a DID", "https");
        }
        return Lookup.found(did.get(), did.get(), "https");
    }
}
