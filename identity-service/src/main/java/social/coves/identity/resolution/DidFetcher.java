package social.coves.identity.resolution;

import social.coves.identity.metrics.IdentityMetrics;
import social.coves.identity.safety.FetchException;
import social.coves.identity.safety.HttpResult;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.DidMethodRules;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Fetches a DID document from the network: {@code did:plc} from the PLC directory, {@code did:web} from
 * {@code https://<host>/.well-known/did.json} (hostname only; a port only for {@code localhost} in local mode).
 * PLC's 404 "DID not available" and any 410 mean deactivated; a plain 404 means not found. The document's
 * {@code id} must equal the DID. A DID that breaks its method's rules ({@link DidMethodRules}: records may carry
 * such DIDs, they only need the generic syntax) is invalid here and never fetched.
 */
public final class DidFetcher {

    private static final String ACCEPT = "application/did+ld+json, application/json";

    private final GuardedFetcher fetcher;
    private final String plcUrl;
    private final boolean localMode;
    private final Optional<Integer> localHttpPort;
    private final int maxBytes;
    private final IdentityMetrics metrics;

    public DidFetcher(GuardedFetcher fetcher, String plcUrl, boolean localMode, Optional<Integer> localHttpPort,
                      int maxBytes, IdentityMetrics metrics) {
        this.fetcher = fetcher;
        this.plcUrl = plcUrl.endsWith("/") ? plcUrl.substring(0, plcUrl.length() - 1) : plcUrl;
        this.localMode = localMode;
        this.localHttpPort = localHttpPort;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    public Lookup fetch(Did did) {
        String source = did.method();
        Optional<String> broken = DidMethodRules.violation(did);
        Lookup result = broken.isPresent() ? Lookup.of(Lookup.Status.INVALID, did.value(), broken.get(), source) : switch (source) {
            case "plc" -> fetchPlc(did);
            case "web" -> fetchWeb(did);
            default -> Lookup.of(Lookup.Status.INVALID, did.value(), "unsupported DID method " + source, source);
        };
        metrics.lookup(source.equals("plc") || source.equals("web") ? source : "other", result.status().label());
        return result;
    }

    private Lookup fetchPlc(Did did) {
        URI uri = URI.create(plcUrl + "/" + URLEncoder.encode(did.value(), StandardCharsets.UTF_8).replace("%3A", ":"));
        HttpResult response;
        try {
            response = fetcher.get("plc", uri, maxBytes, ACCEPT, true);
        } catch (FetchException e) {
            return Lookup.of(Lookup.Status.FAILED, did.value(), e.getMessage(), "plc");
        }
        if (response.status() == 410 || (response.status() == 404 && response.bodyText().contains("DID not available"))) {
            return Lookup.of(Lookup.Status.DEACTIVATED, did.value(), "DID is deactivated (tombstoned) in the PLC directory", "plc");
        }
        if (response.status() == 404) {
            return Lookup.of(Lookup.Status.NOT_FOUND, did.value(), "DID not registered in the PLC directory", "plc");
        }
        return document(did, response, "plc");
    }

    private Lookup fetchWeb(Did did) {
        Optional<URI> uri = webDocumentUri(did);
        if (uri.isEmpty()) {
            return Lookup.of(Lookup.Status.INVALID, did.value(), "did:web must be a public host name without port or path", "web");
        }
        HttpResult response;
        try {
            response = fetcher.get("web", uri.get(), maxBytes, ACCEPT, false);
        } catch (FetchException e) {
            return Lookup.of(Lookup.Status.FAILED, did.value(), e.getMessage(), "web");
        }
        if (response.status() == 410) {
            return Lookup.of(Lookup.Status.DEACTIVATED, did.value(), "did:web document is gone (410)", "web");
        }
        if (response.status() == 404) {
            return Lookup.of(Lookup.Status.NOT_FOUND, did.value(), "no did:web document (404)", "web");
        }
        return document(did, response, "web");
    }

    /**
     * The URL of a did:web document, or empty when the identifier is not acceptable here. {@code did} meets the did:web
     * rules (host name, digits after {@code %3A}, no path): {@link #fetch} checks them first.
     */
    Optional<URI> webDocumentUri(Did did) {
        String id = did.methodSpecificId();
        String host = id;
        Integer port = null;
        int encodedColon = id.indexOf("%3A");
        if (encodedColon >= 0) {
            host = id.substring(0, encodedColon);
            port = Integer.parseInt(id.substring(encodedColon + 3));
            if (!(localMode && host.equals("localhost"))) {
                return Optional.empty();
            }
        } else if (id.contains("%")) {
            return Optional.empty();
        }
        if (host.equals("localhost")) {
            if (!localMode) {
                return Optional.empty();
            }
        } else if (!host.contains(".") || ReservedNames.isReserved(host, localMode)) {
            return Optional.empty();
        }
        if (localMode) {
            int effective = port != null ? port : localHttpPort.orElse(80);
            return Optional.of(URI.create("http://" + host + ":" + effective + "/.well-known/did.json"));
        }
        return Optional.of(URI.create("https://" + host + "/.well-known/did.json"));
    }

    private static Lookup document(Did did, HttpResult response, String source) {
        if (!response.isSuccess()) {
            return Lookup.of(Lookup.Status.FAILED, did.value(), "DID document fetch answered HTTP " + response.status(), source);
        }
        String text = response.bodyText();
        try {
            DidDocument.parse(did.value(), text);
        } catch (DidDocument.InvalidDocumentException e) {
            return Lookup.of(Lookup.Status.INVALID, did.value(), e.getMessage(), source);
        }
        return Lookup.found(text, did.value(), source);
    }
}
