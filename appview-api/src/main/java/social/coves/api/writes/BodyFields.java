package social.coves.api.writes;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.api.xrpc.XrpcException;

import java.util.Optional;

/** Reading fields of a procedure's JSON body; a field of the wrong type is a 400 that names it. */
public final class BodyFields {

    private BodyFields() {
    }

    public static Optional<String> string(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw XrpcException.invalidRequest(field + " must be a string");
        }
        return Optional.of(value.asText());
    }

    public static String requiredString(JsonNode body, String field) {
        return string(body, field).filter(s -> !s.isBlank())
                .orElseThrow(() -> XrpcException.invalidRequest(field + " is required"));
    }

    public static Optional<Boolean> bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw XrpcException.invalidRequest(field + " must be a boolean");
        }
        return Optional.of(value.asBoolean());
    }

    /** An array, object, or nothing: anything else is a 400 naming the field. */
    public static Optional<JsonNode> node(JsonNode body, String field, boolean array) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (array ? !value.isArray() : !value.isObject()) {
            throw XrpcException.invalidRequest(field + " must be " + (array ? "an array" : "an object"));
        }
        return Optional.of(value);
    }
}
