package social.coves.lexicon.schema;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a {@code query} or {@code procedure} definition: {@code parameters} (type {@code params}), {@code input}
 * (procedures only) and {@code output} bodies, and {@code errors}. Field definitions go through the enclosing
 * {@link LexiconParser}, so references come out absolute and constraints are checked as everywhere else.
 */
final class XrpcDefParser {

    private static final Set<String> PARAM_TYPES = Set.of("boolean", "integer", "string", "unknown", "array");
    private static final Set<String> PARAM_ITEM_TYPES = Set.of("boolean", "integer", "string", "unknown");
    private static final Set<String> BODY_SCHEMA_TYPES = Set.of("object", "ref", "union");

    private final LexiconParser parser;

    XrpcDefParser(LexiconParser parser) {
        this.parser = parser;
    }

    SchemaDef.XrpcSchema parse(String type, JsonNode def) {
        SchemaDef.ParamsSchema parameters = params(def.get("parameters"));
        SchemaDef.XrpcBody output = body("output", def.get("output"));
        Set<String> errors = errors(def.get("errors"));
        if (type.equals("query")) {
            return new SchemaDef.QuerySchema(parameters, output, errors);
        }
        return new SchemaDef.ProcedureSchema(parameters, body("input", def.get("input")), output, errors);
    }

    private SchemaDef.ParamsSchema params(JsonNode def) {
        if (def == null) {
            return SchemaDef.ParamsSchema.NONE;
        }
        if (!"params".equals(parser.typeOf(def))) {
            throw parser.fail("\"parameters\" must be of type params");
        }
        Map<String, SchemaDef> properties = new LinkedHashMap<>();
        JsonNode props = def.get("properties");
        if (props != null && !props.isObject()) {
            throw parser.fail("parameters: \"properties\" must be an object");
        }
        if (props != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                properties.put(property.getKey(), param(property.getKey(), property.getValue()));
            }
        }
        Set<String> required = new LinkedHashSet<>(parser.textList(def, "required"));
        for (String name : required) {
            if (!properties.containsKey(name)) {
                throw parser.fail("required parameter " + name + " is not declared in properties");
            }
        }
        return new SchemaDef.ParamsSchema(Collections.unmodifiableMap(properties), Collections.unmodifiableSet(required));
    }

    private SchemaDef param(String name, JsonNode def) {
        String type = parser.typeOf(def);
        if (!PARAM_TYPES.contains(type)) {
            throw parser.fail("parameter " + name + ": type " + type + " is not allowed in params");
        }
        if (type.equals("array") && def.get("items") != null && !PARAM_ITEM_TYPES.contains(parser.typeOf(def.get("items")))) {
            throw parser.fail("parameter " + name + ": array items must be boolean, integer, string or unknown");
        }
        return parser.field(def);
    }

    private SchemaDef.XrpcBody body(String name, JsonNode def) {
        if (def == null) {
            return null;
        }
        if (!def.isObject()) {
            throw parser.fail("\"" + name + "\" must be an object");
        }
        String encoding = parser.optionalText(def, "encoding");
        if (encoding == null) {
            throw parser.fail(name + " needs an \"encoding\"");
        }
        JsonNode schema = def.get("schema");
        if (schema == null) {
            return new SchemaDef.XrpcBody(encoding, null);
        }
        if (!BODY_SCHEMA_TYPES.contains(parser.typeOf(schema))) {
            throw parser.fail(name + " schema must be an object, ref or union");
        }
        return new SchemaDef.XrpcBody(encoding, parser.field(schema));
    }

    private Set<String> errors(JsonNode def) {
        if (def == null) {
            return Set.of();
        }
        if (!def.isArray()) {
            throw parser.fail("\"errors\" must be an array");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode error : def) {
            if (!error.isObject()) {
                throw parser.fail("each error must be an object with a name");
            }
            String name = parser.requiredText(error, "name");
            if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                throw parser.fail("error name must be non-empty without whitespace, got \"" + name + "\"");
            }
            names.add(name);
        }
        return Collections.unmodifiableSet(names);
    }
}
