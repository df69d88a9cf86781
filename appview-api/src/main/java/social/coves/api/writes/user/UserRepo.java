package social.coves.api.writes.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.auth.Viewer;
import social.coves.api.oauth.DpopHttp;
import social.coves.api.oauth.UserSessions;
import social.coves.api.pds.RecordRef;
import social.coves.api.pds.RepoCalls;
import social.coves.api.xrpc.XrpcException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The signed-in user's own repository on their PDS, written with their OAuth session (DPoP-bound access token,
 * refreshed once when the PDS calls it expired): records and blobs. A PDS error keeps its name (400s) or becomes 502;
 * nothing is recorded by the caller unless the PDS answered success.
 */
@ApplicationScoped
public class UserRepo {

    private static final int PAGE = 100;
    private static final int MAX_LISTED = 2000;

    private final UserSessions sessions;
    private final DpopHttp http;
    private final ObjectMapper json;

    public UserRepo(UserSessions sessions, DpopHttp http, ObjectMapper json) {
        this.sessions = sessions;
        this.http = http;
        this.json = json;
    }

    public RecordRef create(Viewer user, String collection, JsonNode record) {
        return RepoCalls.ref(call(user, "POST", "com.atproto.repo.createRecord", RepoCalls.createRecord(user.did(), collection, record)));
    }

    public RecordRef put(Viewer user, String collection, String rkey, JsonNode record, String swapRecord) {
        return RepoCalls.ref(call(user, "POST", "com.atproto.repo.putRecord",
                RepoCalls.putRecord(user.did(), collection, rkey, record, swapRecord)));
    }

    public void delete(Viewer user, String collection, String rkey) {
        call(user, "POST", "com.atproto.repo.deleteRecord", RepoCalls.deleteRecord(user.did(), collection, rkey));
    }

    /** Deletes one record and creates another in one commit (a vote flipped): the new record's reference. */
    public RecordRef replace(Viewer user, String collection, String oldRkey, JsonNode record) {
        ObjectNode body = json.createObjectNode().put("repo", user.did());
        ArrayNode writes = body.putArray("writes");
        writes.addObject().put("$type", "com.atproto.repo.applyWrites#delete").put("collection", collection).put("rkey", oldRkey);
        writes.addObject().put("$type", "com.atproto.repo.applyWrites#create").put("collection", collection).set("value", record);
        JsonNode answer = call(user, "POST", "com.atproto.repo.applyWrites", body);
        JsonNode created = answer.path("results").path(1);
        return new RecordRef(created.path("uri").asText(), created.path("cid").asText());
    }

    /** The record as it is in the user's repo now, or empty. */
    public Optional<JsonNode> get(Viewer user, String collection, String rkey) {
        try {
            return Optional.of(call(user, "GET", RepoCalls.getRecord(user.did(), collection, rkey), null));
        } catch (XrpcException e) {
            if (RepoCalls.notFound(e.status(), e.error())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The first record of the collection ({@code {uri, cid, value}}) that {@code wanted} accepts, newest first, looking
     * at no more than {@link #MAX_LISTED} records.
     */
    public Optional<JsonNode> find(Viewer user, String collection, Predicate<JsonNode> wanted) {
        String cursor = null;
        for (int seen = 0; seen < MAX_LISTED; seen += PAGE) {
            JsonNode page = call(user, "GET", RepoCalls.listRecords(user.did(), collection, PAGE, cursor), null);
            for (JsonNode record : page.path("records")) {
                if (wanted.test(record)) {
                    return Optional.of(record);
                }
            }
            cursor = page.path("cursor").asText(null);
            if (cursor == null || page.path("records").isEmpty()) {
                break;
            }
        }
        return Optional.empty();
    }

    /** {@code com.atproto.repo.uploadBlob} of raw bytes: the blob reference to put in a record. */
    public JsonNode uploadBlob(Viewer user, byte[] bytes, String mimeType) {
        return call(user, "POST", "com.atproto.repo.uploadBlob", mimeType, bytes).path("blob");
    }

    private JsonNode call(Viewer user, String method, String nsidAndQuery, JsonNode body) {
        return call(user, method, nsidAndQuery, "application/json",
                body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode call(Viewer user, String method, String nsidAndQuery, String contentType, byte[] body) {
        UserSessions.Acting acting = sessions.acting(user.did(), user.sessionId());
        DpopHttp.Answer answer = send(acting, method, nsidAndQuery, contentType, body);
        if (answer.status() == 401 && refusedToken(answer)) {
            acting = sessions.refresh(acting.session().sessionId(), acting.session().accessSealed());
            answer = send(acting, method, nsidAndQuery, contentType, body);
        }
        sessions.rememberPdsNonce(acting.session(), answer.nonce());
        String nsid = nsidAndQuery.replaceAll("\\?.*", "");
        if (answer.ok()) {
            return answer.body().length == 0 ? json.createObjectNode() : parse(answer.body());
        }
        JsonNode error = RepoCalls.parseOrEmpty(answer.body());
        String name = error.path("error").asText("");
        String message = error.path("message").asText("");
        if (answer.status() >= 500) {
            throw new XrpcException(502, "UpstreamFailure", "your PDS failed " + nsid + " (HTTP " + answer.status() + ")"
                    + (message.isEmpty() ? "" : ": " + message));
        }
        if (answer.status() == 401 || answer.status() == 403) {
            throw new XrpcException(401, name.isEmpty() ? "AuthenticationRequired" : name, "your PDS refused " + nsid
                    + " with this session: " + message + " (sign in again if it persists)");
        }
        throw new XrpcException(answer.status() == 404 ? 404 : 400, name.isEmpty() ? "InvalidRequest" : name,
                "your PDS refused " + nsid + ": " + message);
    }

    private DpopHttp.Answer send(UserSessions.Acting acting, String method, String nsidAndQuery, String contentType, byte[] body) {
        String pds = acting.session().pdsUrl().replaceAll("/+$", "");
        return http.toResource(method, URI.create(pds + "/xrpc/" + nsidAndQuery), contentType, body, acting.dpopKey(),
                acting.accessToken(), acting.session().pdsNonce(), "the PDS " + pds);
    }

    private static boolean refusedToken(DpopHttp.Answer answer) {
        String text = answer.bodyText();
        return text.contains("ExpiredToken") || text.contains("InvalidToken") || text.contains("invalid_token");
    }

    private JsonNode parse(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new XrpcException(502, "UpstreamFailure", "your PDS answered with something that is not JSON");
        }
    }



}
