package social.coves.api.pds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code com.atproto.repo.*} requests and answers, written once for both ways the AppView writes to a PDS: as a
 * community with its session ({@link PdsClient}) and as a signed-in user with their OAuth session ({@code UserRepo}).
 */
public final class RepoCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RepoCalls() {
    }

    public static ObjectNode createRecord(String repo, String collection, JsonNode record) {
        ObjectNode body = JSON.createObjectNode().put("repo", repo).put("collection", collection);
        body.set("record", record);
        return body;
    }

    /** {@code swapRecord}: the CID the record must still have (null = whatever is there, or nothing). */
    public static ObjectNode putRecord(String repo, String collection, String rkey, JsonNode record, String swapRecord) {
        ObjectNode body = JSON.createObjectNode().put("repo", repo).put("collection", collection).put("rkey", rkey);
        body.set("record", record);
        if (swapRecord != null) {
            body.put("swapRecord", swapRecord);
        }
        return body;
    }

    public static ObjectNode deleteRecord(String repo, String collection, String rkey) {
        return JSON.createObjectNode().put("repo", repo).put("collection", collection).put("rkey", rkey);
    }

    /** {@code com.atproto.repo.getRecord?…}: the method and its query. */
    public static String getRecord(String repo, String collection, String rkey) {
        return "com.atproto.repo.getRecord?repo=" + enc(repo) + "&collection=" + enc(collection) + "&rkey=" + enc(rkey);
    }

    /** {@code com.atproto.repo.listRecords?…}: the method and its query. */
    public static String listRecords(String repo, String collection, int limit, String cursor) {
        return "com.atproto.repo.listRecords?repo=" + enc(repo) + "&collection=" + enc(collection) + "&limit=" + limit
                + (cursor == null ? "" : "&cursor=" + enc(cursor));
    }

    /** Whether an XRPC error means the record is not there. */
    public static boolean notFound(int status, String error) {
        return status == 404 || "RecordNotFound".equals(error);
    }

    /** The {@code {uri, cid}} of a create or put. */
    public static RecordRef ref(JsonNode answer) {
        return new RecordRef(answer.path("uri").asText(), answer.path("cid").asText());
    }

    /** An error body as JSON, or {@code {}} when it is not JSON. */
    public static JsonNode parseOrEmpty(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
