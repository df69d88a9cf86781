package social.coves.api.writes.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesLexicons;
import social.coves.lexicon.schema.ValidationError;
import social.coves.lexicon.syntax.AtUri;
import social.coves.lexicon.syntax.Datetime;
import social.coves.lexicon.syntax.Did;

import java.time.Instant;
import java.util.List;

/**
 * The records the AppView writes into users' repositories: made with their {@code $type} and {@code createdAt}, and
 * checked against their lexicon before anything is sent to the PDS (a record that would not validate is the caller's
 * 400, never the PDS's).
 */
public final class UserRecords {

    /**
     * Coves' user blocks. No lexicon is published for it (the published set has {@code social.coves.community.block}
     * only), so its shape — {@code {$type, subject: DID, createdAt}}, as for community blocks — is checked here.
     */
    public static final String ACTOR_BLOCK = "social.coves.actor.block";

    private UserRecords() {
    }

    public static ObjectNode newRecord(String collection) {
        return JsonNodeFactory.instance.objectNode().put("$type", collection).put("createdAt", Instant.now().toString());
    }

    public static ObjectNode validated(String collection, ObjectNode record) {
        List<ValidationError> errors = ACTOR_BLOCK.equals(collection) ? userBlockErrors(record)
                : CovesLexicons.get().validateRecord(collection, record);
        if (!errors.isEmpty()) {
            throw XrpcException.invalidRequest("the " + collection + " record would be invalid: " + errors.get(0));
        }
        return record;
    }

    /** A strong reference {@code {uri, cid}} from the body; 400 {@code InvalidSubject} otherwise. */
    public static JsonNode strongRef(JsonNode ref) {
        String uri = ref.path("uri").asText("");
        String cid = ref.path("cid").asText("");
        if (!ref.isObject() || !AtUri.isValid(uri) || cid.isEmpty()) {
            throw new XrpcException(400, "InvalidSubject", "expected a strong reference {uri: <AT-URI>, cid}, got " + ref);
        }
        return ref;
    }

    private static List<ValidationError> userBlockErrors(JsonNode record) {
        if (!Did.isValid(record.path("subject").asText(""))) {
            return List.of(new ValidationError("$.subject", "must be a DID"));
        }
        if (!Datetime.isValid(record.path("createdAt").asText(""))) {
            return List.of(new ValidationError("$.createdAt", "must be a datetime"));
        }
        return List.of();
    }
}
