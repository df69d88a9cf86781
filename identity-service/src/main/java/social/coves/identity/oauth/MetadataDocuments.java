package social.coves.identity.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.identity.cache.IdentityClock;
import social.coves.identity.config.IdentityConfig;
import social.coves.identity.metrics.IdentityMetrics;
import social.coves.identity.resolution.GuardedFetcher;
import social.coves.identity.resolution.IdentityError;
import social.coves.identity.safety.FetchException;
import social.coves.identity.safety.FetchFailure;
import social.coves.identity.safety.HttpResult;

import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The two OAuth metadata documents, fetched through {@link GuardedFetcher} (per-host rate limit, fetch slots, checked
 * addresses, no redirects, {@code oauth.max-document-bytes}, timeouts), checked, and cached per URL. A document that
 * cannot be had is an {@link IdentityError} {@code UpstreamFailure} whose message names the document, its URL and
 * what was wrong.
 */
@ApplicationScoped
public class MetadataDocuments {

    static final String PROTECTED_RESOURCE_PATH = "/.well-known/oauth-protected-resource";
    static final String AUTHORIZATION_SERVER_PATH = "/.well-known/oauth-authorization-server";

    /** How one kind of document is named (messages, metrics, fetch timer) and checked against the origin it came from. */
    private record Kind<T>(String name, String metric, String source, Reader<T> reader) {
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(JsonNode json, String origin, UrlRules rules) throws MetadataException;
    }

    private static final Kind<ProtectedResourceMetadata> PROTECTED_RESOURCE = new Kind<>(
            "protected-resource metadata", "protected_resource", "oauth_resource", ProtectedResourceMetadata::read);
    private static final Kind<AuthorizationServerMetadata> AUTHORIZATION_SERVER = new Kind<>(
            "authorization-server metadata", "authorization_server", "oauth_server", AuthorizationServerMetadata::read);

    private final GuardedFetcher fetcher;
    private final IdentityMetrics metrics;
    private final UrlRules rules;
    private final int maxBytes;
    private final ExecutorService loaders = Executors.newVirtualThreadPerTaskExecutor();
    private final DocumentCache<ProtectedResourceMetadata> resources;
    private final DocumentCache<AuthorizationServerMetadata> servers;

    public MetadataDocuments(IdentityConfig config, GuardedFetcher fetcher, IdentityMetrics metrics, IdentityClock clock) {
        this.fetcher = fetcher;
        this.metrics = metrics;
        this.rules = new UrlRules(config.localMode());
        this.maxBytes = config.oauth().maxDocumentBytes();
        this.resources = new DocumentCache<>(config.oauth(), clock, loaders);
        this.servers = new DocumentCache<>(config.oauth(), clock, loaders);
    }

    @PreDestroy
    void close() {
        loaders.shutdownNow();
    }

    UrlRules rules() {
        return rules;
    }

    /** {@code <pds>/.well-known/oauth-protected-resource}; {@code pdsOrigin} already meets {@link UrlRules}. */
    ProtectedResourceMetadata protectedResource(String pdsOrigin) {
        return document(PROTECTED_RESOURCE, resources, pdsOrigin, PROTECTED_RESOURCE_PATH);
    }

    /** {@code <issuer>/.well-known/oauth-authorization-server}; {@code issuer} is an origin meeting {@link UrlRules}. */
    AuthorizationServerMetadata authorizationServer(String issuer) {
        return document(AUTHORIZATION_SERVER, servers, issuer, AUTHORIZATION_SERVER_PATH);
    }

    private <T> T document(Kind<T> kind, DocumentCache<T> cache, String origin, String path) {
        String url = origin + path;
        Outcome<T> outcome = cache.get(url, () -> fetch(kind, origin, url));
        if (!outcome.isValid()) {
            throw new IdentityError(IdentityError.Kind.UPSTREAM_FAILURE, kind.name() + " " + url + ": " + outcome.failure());
        }
        return outcome.document();
    }

    private <T> Outcome<T> fetch(Kind<T> kind, String origin, String url) {
        HttpResult response;
        try {
            response = fetcher.get(kind.source(), URI.create(url), maxBytes, "application/json", false);
        } catch (FetchException e) {
            FetchFailure failure = e.failure();
            metrics.oauthDocument(kind.metric(), failure.isRefusal() ? "refused" : "failed");
            boolean admission = failure == FetchFailure.RATE_LIMITED || failure == FetchFailure.BUSY;
            return Outcome.failed((failure.isRefusal() ? "fetch refused (" : "fetch failed (") + failure.label() + "): "
                    + e.getMessage(), !admission);
        }
        try {
            if (!response.isSuccess()) {
                throw new MetadataException("answered HTTP " + response.status());
            }
            T document = kind.reader().read(MetadataJson.object(response.bodyText()), origin, rules);
            metrics.oauthDocument(kind.metric(), "valid");
            return Outcome.valid(document);
        } catch (MetadataException e) {
            metrics.oauthDocument(kind.metric(), "invalid");
            return Outcome.failed(e.getMessage(), true);
        }
    }
}
