package social.coves.identity.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading the fields of an OAuth metadata document; every unusable shape is a {@link MetadataException}. */
final class MetadataJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(16 * 1024).build());
    }

    private MetadataJson() {
    }

    /** The body as a JSON object. */
    static JsonNode object(String body) throws MetadataException {
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MetadataException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (json == null || !json.isObject()) {
            throw new MetadataException("not a JSON object");
        }
        return json;
    }

    /** A string field that must be present. */
    static String requiredText(JsonNode json, String field) throws MetadataException {
        return optionalText(json, field).orElseThrow(() -> new MetadataException(field + " is missing"));
    }

    /** A string field that may be absent (or null); any other type is an error. */
    static Optional<String> optionalText(JsonNode json, String field) throws MetadataException {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new MetadataException(field + " is not a string");
        }
        return Optional.of(value.asText());
    }

    /** An array of strings, empty when absent; any other shape is an error. */
    static List<String> strings(JsonNode json, String field) throws MetadataException {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new MetadataException(field + " is not an array");
        }
        List<String> strings = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new MetadataException(field + " holds something other than strings");
            }
            strings.add(item.asText());
        }
        return List.copyOf(strings);
    }

    /** The field must be the JSON boolean {@code true}. */
    static void requireTrue(JsonNode json, String field) throws MetadataException {
        JsonNode value = json.get(field);
        if (value == null || !value.isBoolean() || !value.booleanValue()) {
            throw new MetadataException(field + " must be true (is " + (value == null ? "absent" : value.toString()) + ")");
        }
    }

    /** The array field must contain {@code wanted}. */
    static List<String> requireContains(JsonNode json, String field, String wanted) throws MetadataException {
        List<String> values = strings(json, field);
        if (!values.contains(wanted)) {
            throw new MetadataException(field + " does not contain " + wanted + " (" + values + ")");
        }
        return values;
    }
}
