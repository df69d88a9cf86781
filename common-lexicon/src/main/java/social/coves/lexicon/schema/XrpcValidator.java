package social.coves.lexicon.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks XRPC bodies and query-string parameters against a query or procedure. Values themselves are checked by
 * {@link ValueValidator}, with the same rules as record data.
 */
final class XrpcValidator {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private final LexiconCatalog catalog;

    XrpcValidator(LexiconCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * A {@code null} or missing {@code value} means no body. As in the reference validator a body with a schema must be
     * a JSON object, whatever the schema (so a union body needs its {@code $type}).
     */
    List<ValidationError> body(String what, SchemaDef.XrpcBody body, JsonNode value) {
        boolean absent = value == null || value.isMissingNode();
        if (body == null) {
            return absent ? List.of() : List.of(new ValidationError("$", "the method declares no " + what + ", but there is a body"));
        }
        if (absent) {
            return List.of(new ValidationError("$", what + " body missing (the method declares one, " + body.encoding() + ")"));
        }
        if (body.schema() == null) {
            return List.of();
        }
        ValueValidator validator = new ValueValidator(catalog);
        if (!value.isObject()) {
            validator.error(JsonPath.ROOT, what + " must be a JSON object, got " + ValueValidator.kind(value));
        } else {
            validator.validate(body.schema(), value, JsonPath.ROOT, 0);
        }
        return validator.errors();
    }

    /**
     * Reads each declared parameter from its query-string values as an XRPC server does (an empty value counts as
     * absent; repeated values make an array) and validates it. Undeclared parameters are ignored. Unlike the reference
     * server, which turns {@code "ten"} into 0 and any boolean other than {@code "true"} into false, a value that is
     * not an integer or not {@code true}/{@code false} is an error. {@code unknown} parameters have no query-string
     * form in the spec and are not checked beyond {@code required}.
     */
    List<ValidationError> params(SchemaDef.ParamsSchema schema, Map<String, List<String>> given) {
        ValueValidator validator = new ValueValidator(catalog);
        for (Map.Entry<String, SchemaDef> param : schema.properties().entrySet()) {
            String name = param.getKey();
            JsonPath path = JsonPath.ROOT.field(name);
            List<String> values = given == null || given.get(name) == null ? List.of()
                    : given.get(name).stream().filter(v -> v != null && !v.isEmpty()).toList();
            if (values.isEmpty()) {
                if (schema.required().contains(name)) {
                    validator.error(path, "required parameter missing");
                }
                continue;
            }
            if (param.getValue() instanceof SchemaDef.ArraySchema array) {
                if (array.items() instanceof SchemaDef.UnknownSchema) {
                    continue;
                }
                ArrayNode items = JsonNodeFactory.instance.arrayNode();
                boolean readable = true;
                for (int i = 0; i < values.size(); i++) {
                    JsonNode item = coerce(array.items(), values.get(i), path.index(i), validator);
                    readable &= item != null;
                    items.add(item);
                }
                if (readable) {
                    validator.validate(array, items, path, 0);
                }
            } else if (values.size() > 1) {
                validator.error(path, "given " + values.size() + " times, takes one value");
            } else if (!(param.getValue() instanceof SchemaDef.UnknownSchema)) {
                JsonNode value = coerce(param.getValue(), values.getFirst(), path, validator);
                if (value != null) {
                    validator.validate(param.getValue(), value, path, 0);
                }
            }
        }
        return validator.errors();
    }

    /** The JSON value of one query-string value, or {@code null} (reported) when it cannot be read as its type. */
    private static JsonNode coerce(SchemaDef def, String raw, JsonPath path, ValueValidator validator) {
        switch (def) {
            case SchemaDef.IntegerSchema s -> {
                if (INTEGER.matcher(raw).matches()) {
                    try {
                        return LongNode.valueOf(Long.parseLong(raw));
                    } catch (NumberFormatException e) {
                        // out of the 64-bit range: reported below
                    }
                }
                validator.error(path, "expected an integer, got \"" + raw + "\"");
                return null;
            }
            case SchemaDef.BooleanSchema s -> {
                if (raw.equals("true") || raw.equals("false")) {
                    return BooleanNode.valueOf(raw.equals("true"));
                }
                validator.error(path, "expected true or false, got \"" + raw + "\"");
                return null;
            }
            default -> {
                return TextNode.valueOf(raw);
            }
        }
    }
}
