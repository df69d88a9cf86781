package social.coves.localstack.pds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Test helper for a PDS's XRPC API (e.g. {@link PdsStack}'s): accounts, service-auth tokens and record writes in an
 * account's repo. A failed call throws {@link XrpcException} with the PDS's status and error name.
 */
public final class PdsAccounts {

    /** An account with its session tokens. */
    public record Account(String did, String handle, String accessJwt, String refreshJwt) {
    }

    /** A written record: its at:// URI and CID. */
    public record RecordRef(String uri, String cid) {
    }

    /** An XRPC error answer: HTTP status, error name ({@code InvalidHandle}, {@code RecordNotFound}...) and message. */
    public static final class XrpcException extends RuntimeException {
        private final int status;
        private final String error;

        XrpcException(String method, int status, String error, String message) {
            super(method + " → " + status + " " + error + ": " + message);
            this.status = status;
            this.error = error;
        }

        public int status() {
            return status;
        }

        public String error() {
            return error;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String pdsUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public PdsAccounts(String pdsUrl) {
        this.pdsUrl = pdsUrl.replaceAll("/+$", "");
    }

    /** {@code com.atproto.server.createAccount} (no invite code: the local PDS does not require one). */
    public Account create(String handle, String email, String password) {
        JsonNode r = post("com.atproto.server.createAccount", null,
                Map.of("handle", handle, "email", email, "password", password));
        return account(r);
    }

    /** {@code com.atproto.server.createSession}: fresh tokens for an existing account (handle or DID). */
    public Account login(String identifier, String password) {
        return account(post("com.atproto.server.createSession", null, Map.of("identifier", identifier, "password", password)));
    }

    /** {@code com.atproto.server.getServiceAuth}: a JWT signed with the account's key, for {@code aud} and method {@code lxm}. */
    public String serviceAuth(Account account, String aud, String lxm) {
        return get("com.atproto.server.getServiceAuth", account, Map.of("aud", aud, "lxm", lxm)).path("token").asText();
    }

    /** {@code com.atproto.repo.createRecord}; {@code rkey} null lets the PDS pick a TID. {@code record} is any JSON-able value. */
    public RecordRef createRecord(Account account, String collection, String rkey, Object record) {
        ObjectNode body = JSON.createObjectNode().put("repo", account.did()).put("collection", collection);
        if (rkey != null) {
            body.put("rkey", rkey);
        }
        body.set("record", JSON.valueToTree(record));
        return ref(post("com.atproto.repo.createRecord", account, body));
    }

    /** {@code com.atproto.repo.putRecord}: creates or replaces the record at {@code collection/rkey}. */
    public RecordRef putRecord(Account account, String collection, String rkey, Object record) {
        ObjectNode body = JSON.createObjectNode().put("repo", account.did()).put("collection", collection).put("rkey", rkey);
        body.set("record", JSON.valueToTree(record));
        return ref(post("com.atproto.repo.putRecord", account, body));
    }

    /** {@code com.atproto.repo.deleteRecord}. */
    public void deleteRecord(Account account, String collection, String rkey) {
        post("com.atproto.repo.deleteRecord", account, Map.of("repo", account.did(), "collection", collection, "rkey", rkey));
    }

    /** {@code com.atproto.repo.getRecord}: {@code {uri, cid, value}}, or empty when there is no such record. */
    public Optional<JsonNode> getRecord(String repo, String collection, String rkey) {
        try {
            return Optional.of(get("com.atproto.repo.getRecord", null, Map.of("repo", repo, "collection", collection, "rkey", rkey)));
        } catch (XrpcException e) {
            if ("RecordNotFound".equals(e.error()) || e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every record of a collection ({@code com.atproto.repo.listRecords}, all pages): {@code {uri, cid, value}} each. */
    public java.util.List<JsonNode> listRecords(String repo, String collection) {
        java.util.List<JsonNode> records = new java.util.ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> params = new java.util.LinkedHashMap<>(Map.of("repo", repo, "collection", collection, "limit", "100"));
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            JsonNode page = get("com.atproto.repo.listRecords", null, params);
            page.path("records").forEach(records::add);
            cursor = page.path("records").isEmpty() ? null : page.path("cursor").asText(null);
        } while (cursor != null);
        return records;
    }

    private JsonNode post(String method, Account auth, Object body) {
        try {
            HttpRequest.Builder request = request(method, auth, "")
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            return send(method, request.build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode get(String method, Account auth, Map<String, String> params) {
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "?", ""));
        return send(method, request(method, auth, query).GET().build());
    }

    private HttpRequest.Builder request(String method, Account auth, String query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pdsUrl + "/xrpc/" + method + query)).timeout(Duration.ofSeconds(30));
        if (auth != null) {
            b.header("authorization", "Bearer " + auth.accessJwt());
        }
        return b;
    }

    private JsonNode send(String method, HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() / 100 != 2) {
                JsonNode error = parseOrEmpty(body);
                throw new XrpcException(method, response.statusCode(), error.path("error").asText("HTTP " + response.statusCode()),
                        error.path("message").asText(body));
            }
            return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(method + " at " + pdsUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        }
    }

    private static JsonNode parseOrEmpty(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static Account account(JsonNode r) {
        return new Account(r.path("did").asText(), r.path("handle").asText(), r.path("accessJwt").asText(), r.path("refreshJwt").asText());
    }

    private static RecordRef ref(JsonNode r) {
        return new RecordRef(r.path("uri").asText(), r.path("cid").asText());
    }
}
