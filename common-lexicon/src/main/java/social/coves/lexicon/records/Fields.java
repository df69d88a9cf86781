package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.syntax.InvalidSyntaxException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Reads typed fields out of a JSON object, failing with the JSON path of the bad field. */
final class Fields {

    private final JsonNode node;
    private final String path;

    private Fields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static Fields of(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new RecordParseException(path, "expected an object, got " + describe(node));
        }
        return new Fields(node, path);
    }

    String path(String field) {
        return path + "." + field;
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    JsonNode raw(String field) {
        return has(field) ? node.get(field) : null;
    }

    String string(String field) {
        String value = optionalString(field);
        if (value == null) {
            throw new RecordParseException(path(field), "required field missing");
        }
        return value;
    }

    String optionalString(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new RecordParseException(path(field), "expected a string, got " + describe(value));
        }
        return value.textValue();
    }

    <T> T parsed(String field, Function<String, T> parser) {
        return parse(field, string(field), parser);
    }

    <T> T optionalParsed(String field, Function<String, T> parser) {
        String value = optionalString(field);
        return value == null ? null : parse(field, value, parser);
    }

    Long optionalLong(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new RecordParseException(path(field), "expected an integer, got " + describe(value));
        }
        return value.longValue();
    }

    boolean bool(String field) {
        Boolean value = optionalBoolean(field);
        if (value == null) {
            throw new RecordParseException(path(field), "required field missing");
        }
        return value;
    }

    Boolean optionalBoolean(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw new RecordParseException(path(field), "expected a boolean, got " + describe(value));
        }
        return value.booleanValue();
    }

    <T> T object(String field, BiFunction<JsonNode, String, T> reader) {
        if (!has(field)) {
            throw new RecordParseException(path(field), "required field missing");
        }
        return reader.apply(node.get(field), path(field));
    }

    <T> T optionalObject(String field, BiFunction<JsonNode, String, T> reader) {
        return has(field) ? reader.apply(node.get(field), path(field)) : null;
    }

    <T> List<T> list(String field, BiFunction<JsonNode, String, T> reader) {
        if (!has(field)) {
            return List.of();
        }
        JsonNode value = node.get(field);
        if (!value.isArray()) {
            throw new RecordParseException(path(field), "expected an array, got " + describe(value));
        }
        List<T> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            out.add(reader.apply(value.get(i), path(field) + "[" + i + "]"));
        }
        return List.copyOf(out);
    }

    List<String> strings(String field) {
        return list(field, (item, itemPath) -> {
            if (!item.isTextual()) {
                throw new RecordParseException(itemPath, "expected a string, got " + describe(item));
            }
            return item.textValue();
        });
    }

    private <T> T parse(String field, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (InvalidSyntaxException e) {
            throw new RecordParseException(path(field), e.getMessage(), e);
        }
    }

    static String describe(JsonNode value) {
        if (value == null) {
            return "nothing";
        }
        return value.isValueNode() ? value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + value
                : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
