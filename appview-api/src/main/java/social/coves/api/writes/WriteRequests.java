package social.coves.api.writes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.aggregators.AggregatorKeys;
import social.coves.api.aggregators.ApiKeys;
import social.coves.api.auth.AuthException;
import social.coves.api.auth.ServiceAuthVerifier;
import social.coves.api.auth.Viewer;
import social.coves.api.instance.InstanceConfig;
import social.coves.api.ratelimit.RateLimiter;
import social.coves.api.xrpc.XrpcException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

/**
 * What every write procedure does before its own work, in this order: the instance has a PDS (else 501), the
 * declared size fits (413 {@code RequestTooLarge}), the caller's credential verifies for this method (401: a
 * service-auth token, or an aggregator API key where the method takes one), the caller is within its write rate (429
 * with {@code Retry-After}), and the body, read up to its limit, is a JSON object (413 / 400). Blocking: call from a
 * worker thread.
 */
@ApplicationScoped
public class WriteRequests {

    public static final long ONE_MIB = 1L << 20;

    /** An accepted write: who asks, what they sent, and the PDS to write to. */
    public record Write(Viewer caller, JsonNode body, URI pds) {
    }

    /** Which credentials a method takes. */
    public enum Credentials {
        SERVICE_AUTH,
        /** a service-auth token, or an aggregator's API key ({@code Authorization: Bearer ckapi_…}) */
        SERVICE_AUTH_OR_API_KEY
    }

    private final ServiceAuthVerifier verifier;
    private final ObjectMapper json;
    private final InstanceConfig instance;
    private final RateLimiter perCaller;
    private final AggregatorKeys apiKeys;

    public WriteRequests(ServiceAuthVerifier verifier, ObjectMapper json, InstanceConfig instance, AggregatorKeys apiKeys) {
        this.verifier = verifier;
        this.json = json;
        this.instance = instance;
        this.apiKeys = apiKeys;
        this.perCaller = new RateLimiter(instance.writes().perMinute());
    }

    public Write accept(String nsid, String authorization, String contentLength, InputStream body, long maxBytes) {
        return accept(nsid, Credentials.SERVICE_AUTH, authorization, contentLength, body, maxBytes);
    }

    public Write accept(String nsid, Credentials credentials, String authorization, String contentLength, InputStream body,
                        long maxBytes) {
        URI pds = instance.pdsUrl().orElseThrow(() -> new XrpcException(501, "MethodNotImplemented",
                nsid + " needs an instance PDS; this AppView has none configured (coves.instance.pds-url)"));
        checkLength(nsid, contentLength, maxBytes);
        Viewer caller = caller(nsid, credentials, authorization);
        return new Write(caller, parse(read(nsid, body, maxBytes)), pds);
    }

    /** The verified caller of a write, charged one write; 401 / 429 otherwise. */
    public Viewer caller(String nsid, Credentials credentials, String authorization) {
        Viewer caller;
        if (ApiKeys.isApiKey(authorization)) {
            if (credentials != Credentials.SERVICE_AUTH_OR_API_KEY) {
                throw new AuthException("AuthenticationRequired", nsid + " does not take API keys; send a service-auth token "
                        + "(Authorization: Bearer <jwt> from com.atproto.server.getServiceAuth with lxm " + nsid + ")");
            }
            caller = apiKeys.authenticate(authorization);
        } else {
            caller = verifier.required(authorization, nsid).await().atMost(Duration.ofSeconds(15));
        }
        admit(perCaller, caller.did(), "write");
        return caller;
    }

    /** A body that needs no caller (an unauthenticated procedure): size checked, read up to the limit, a JSON object. */
    public JsonNode body(String nsid, String contentLength, InputStream body, long maxBytes) {
        checkLength(nsid, contentLength, maxBytes);
        return parse(read(nsid, body, maxBytes));
    }

    /** As {@link #body}, for procedures without input: no body at all reads as {@code {}}. */
    public JsonNode optionalBody(String nsid, String contentLength, InputStream body, long maxBytes) {
        checkLength(nsid, contentLength, maxBytes);
        byte[] bytes = read(nsid, body, maxBytes);
        return bytes.length == 0 ? json.createObjectNode() : parse(bytes);
    }

    private static void checkLength(String nsid, String contentLength, long maxBytes) {
        if (contentLength != null && !contentLength.isBlank() && parseLength(contentLength) > maxBytes) {
            throw tooLarge(nsid, maxBytes);
        }
    }

    /** Charges one request to {@code key} in {@code limiter}; over the limit, 429 with {@code Retry-After}. */
    public static void admit(RateLimiter limiter, String key, String what) {
        RateLimiter.Decision decision = limiter.tryAcquire(key, System.nanoTime());
        if (!decision.admitted()) {
            throw new XrpcException(429, "RateLimitExceeded", "more than " + decision.limit() + " " + what
                    + " requests per " + limiter.periodText() + " from " + key + "; retry after " + decision.retryAfterSeconds() + " s")
                    .retryAfter(decision.retryAfterSeconds());
        }
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw XrpcException.invalidRequest("Content-Length is not a number");
        }
    }

    private static byte[] read(String nsid, InputStream body, long maxBytes) {
        if (body == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge(nsid, maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw XrpcException.invalidRequest("could not read the request body: " + e.getMessage());
        }
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw XrpcException.invalidRequest("a JSON object body is required");
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw XrpcException.invalidRequest("the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw XrpcException.invalidRequest("the body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw XrpcException.invalidRequest("could not read the request body");
        }
    }

    private static XrpcException tooLarge(String nsid, long maxBytes) {
        return new XrpcException(413, "RequestTooLarge", nsid + " accepts bodies of at most " + maxBytes + " bytes");
    }
}
