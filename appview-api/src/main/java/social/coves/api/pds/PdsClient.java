package social.coves.api.pds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.instance.InstanceConfig;
import social.coves.api.xrpc.XrpcException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The XRPC calls the AppView makes to a PDS (the instance PDS, where community accounts live). Every call is bounded
 * by {@code coves.instance.pds-timeout}; a timeout is a 504 {@code UpstreamTimeout}, an unreachable PDS or a 5xx a
 * 502 {@code UpstreamFailure}; an XRPC error the PDS answers is a {@link PdsException} for the caller to map.
 * Blocking: call it from worker threads.
 */
@ApplicationScoped
public class PdsClient {

    private static final long MAX_ANSWER_BYTES = 1 << 20;

    private final ObjectMapper json;
    private final InstanceConfig config;
    private final HttpClient http;
    private final MeterRegistry meters;

    public PdsClient(ObjectMapper json, InstanceConfig config, MeterRegistry meters) {
        this.json = json;
        this.config = config;
        this.meters = meters;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.pdsConnectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public PdsSession createAccount(URI pds, String handle, String email, String password) {
        ObjectNode body = json.createObjectNode().put("handle", handle).put("email", email).put("password", password);
        return session(call(pds, "com.atproto.server.createAccount", null, body));
    }

    public PdsSession createSession(URI pds, String identifier, String password) {
        ObjectNode body = json.createObjectNode().put("identifier", identifier).put("password", password);
        return session(call(pds, "com.atproto.server.createSession", null, body));
    }

    /** Single use: the PDS revokes {@code refreshJwt} when it answers. */
    public PdsSession refreshSession(URI pds, String refreshJwt) {
        return session(call(pds, "com.atproto.server.refreshSession", refreshJwt, null));
    }

    public RecordRef createRecord(URI pds, String accessJwt, String repo, String collection, JsonNode record) {
        return RepoCalls.ref(call(pds, "com.atproto.repo.createRecord", accessJwt, RepoCalls.createRecord(repo, collection, record)));
    }

    /** {@code swapRecord}: the CID the record must still have (null = whatever is there, or nothing). */
    public RecordRef putRecord(URI pds, String accessJwt, String repo, String collection, String rkey, JsonNode record,
                               String swapRecord) {
        return RepoCalls.ref(call(pds, "com.atproto.repo.putRecord", accessJwt,
                RepoCalls.putRecord(repo, collection, rkey, record, swapRecord)));
    }

    public void deleteRecord(URI pds, String accessJwt, String repo, String collection, String rkey) {
        call(pds, "com.atproto.repo.deleteRecord", accessJwt, RepoCalls.deleteRecord(repo, collection, rkey));
    }

    /** A record as it is now ({@code uri}, {@code cid}, {@code value}), or empty when there is none. */
    public Optional<JsonNode> getRecord(URI pds, String repo, String collection, String rkey) {
        HttpRequest request = HttpRequest.newBuilder(xrpc(pds, RepoCalls.getRecord(repo, collection, rkey)))
                .timeout(config.pdsTimeout()).GET().build();
        try {
            return Optional.of(send("com.atproto.repo.getRecord", request));
        } catch (PdsException e) {
            if (RepoCalls.notFound(e.status(), e.error())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** One page of a collection ({@code records[]} of {@code uri}, {@code cid}, {@code value}; {@code cursor}). */
    public JsonNode listRecords(URI pds, String repo, String collection, int limit, String cursor) {
        return send("com.atproto.repo.listRecords", HttpRequest.newBuilder(xrpc(pds, RepoCalls.listRecords(repo, collection, limit, cursor)))
                .timeout(config.pdsTimeout()).GET().build());
    }

    /** Uploads a blob; answers the blob reference to put in a record. */
    public JsonNode uploadBlob(URI pds, String accessJwt, byte[] bytes, String mimeType) {
        HttpRequest request = HttpRequest.newBuilder(xrpc(pds, "com.atproto.repo.uploadBlob"))
                .timeout(config.pdsTimeout()).header("Authorization", "Bearer " + accessJwt)
                .header("Content-Type", mimeType).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return send("com.atproto.repo.uploadBlob", request).path("blob");
    }

    private JsonNode call(URI pds, String nsid, String bearer, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(xrpc(pds, nsid)).timeout(config.pdsTimeout());
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toString().getBytes(StandardCharsets.UTF_8)));
        } else {
            request.POST(HttpRequest.BodyPublishers.noBody());
        }
        return send(nsid, request.build());
    }

    private JsonNode send(String nsid, HttpRequest request) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            HttpResponse<byte[]> response = http.send(request, CappedBody.handler(MAX_ANSWER_BYTES));
            byte[] bytes = response.body();
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                outcome = "ok";
                return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
            }
            JsonNode error = RepoCalls.parseOrEmpty(bytes);
            String name = error.path("error").asText("");
            String message = error.path("message").asText("");
            if (status >= 500) {
                outcome = "upstream_failure";
                throw new XrpcException(502, "UpstreamFailure", "the PDS failed " + nsid + " (HTTP " + status + ")"
                        + (message.isEmpty() ? "" : ": " + message));
            }
            outcome = "xrpc_error";
            throw new PdsException(status, name.isEmpty() ? "HTTP" + status : name, message);
        } catch (HttpTimeoutException e) {
            outcome = "timeout";
            throw new XrpcException(504, "UpstreamTimeout", "the PDS did not answer " + nsid + " within "
                    + config.pdsTimeout().toMillis() + " ms");
        } catch (IOException e) {
            if (e instanceof CappedBody.TooLarge || e.getCause() instanceof CappedBody.TooLarge) { // send() wraps it
                outcome = "upstream_failure";
                throw new XrpcException(502, "UpstreamFailure", "the PDS answered " + nsid + " with more than "
                        + MAX_ANSWER_BYTES + " bytes");
            }
            outcome = "unreachable";
            throw new XrpcException(502, "UpstreamFailure", "the PDS is unreachable for " + nsid + ": "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XrpcException(503, "UpstreamFailure", "interrupted while calling the PDS");
        } finally {
            sample.stop(meters.timer("coves_api_pds_calls", "method", nsid, "outcome", outcome));
        }
    }


    private PdsSession session(JsonNode answer) {
        return new PdsSession(answer.path("did").asText(), answer.path("handle").asText(),
                answer.path("accessJwt").asText(), answer.path("refreshJwt").asText());
    }


    private static URI xrpc(URI pds, String nsidAndQuery) {
        String base = pds.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "xrpc/" + nsidAndQuery);
    }

}
