package social.coves.lexicon.schema;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.syntax.Nsid;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a lexicon JSON document into a {@link LexiconDocument}, checking its structure: {@code lexicon: 1}, an NSID
 * {@code id}, primary types (record, query, procedure, subscription, permission-set) only in {@code main}, which
 * types may appear at top level and in fields, and well-typed constraint values. Queries and procedures are compiled
 * by {@link XrpcDefParser}. Descriptions and other annotations are ignored.
 */
public final class LexiconParser {

    private static final Set<String> PRIMARY = Set.of("record", "query", "procedure", "subscription", "permission-set");
    private static final Set<String> TOP_LEVEL = Set.of("token", "object", "array", "boolean", "integer", "string",
            "bytes", "cid-link", "blob");
    private static final Set<String> FIELD = Set.of("boolean", "integer", "string", "bytes", "cid-link", "blob",
            "array", "object", "ref", "union", "unknown");

    private final String documentId;
    private String where;

    private LexiconParser(String documentId) {
        this.documentId = documentId;
    }

    public static LexiconDocument parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidLexiconException("lexicon document must be a JSON object");
        }
        JsonNode version = json.get("lexicon");
        if (version == null || !version.isIntegralNumber() || version.asInt() != 1) {
            throw new InvalidLexiconException("lexicon document: \"lexicon\" must be the integer 1");
        }
        JsonNode id = json.get("id");
        if (id == null || !id.isTextual() || !Nsid.isValid(id.textValue())) {
            throw new InvalidLexiconException("lexicon document: \"id\" must be an NSID string, got " + id);
        }
        JsonNode defs = json.get("defs");
        if (defs == null || !defs.isObject()) {
            throw new InvalidLexiconException(id.textValue() + ": \"defs\" must be an object");
        }
        LexiconParser parser = new LexiconParser(id.textValue());
        Map<String, SchemaDef> compiled = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = defs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> def = it.next();
            parser.where = id.textValue() + "#" + def.getKey();
            compiled.put(def.getKey(), parser.topLevel(def.getKey(), def.getValue()));
        }
        JsonNode description = json.get("description");
        return new LexiconDocument(id.textValue(), description != null && description.isTextual() ? description.textValue() : null, compiled);
    }

    private SchemaDef topLevel(String name, JsonNode def) {
        String type = typeOf(def);
        if (PRIMARY.contains(type)) {
            if (!name.equals("main")) {
                throw fail("primary type " + type + " is only allowed as the main definition");
            }
            return switch (type) {
                case "record" -> record(def);
                case "query", "procedure" -> new XrpcDefParser(this).parse(type, def);
                default -> new SchemaDef.EndpointSchema(type);
            };
        }
        if (!TOP_LEVEL.contains(type)) {
            throw fail("type " + type + " is not allowed as a named definition");
        }
        return type.equals("token") ? new SchemaDef.TokenSchema() : field(def);
    }

    private SchemaDef.RecordSchema record(JsonNode def) {
        String key = optionalText(def, "key");
        if (key == null) {
            key = "any";
        }
        if (!(key.equals("tid") || key.equals("nsid") || key.equals("any") || key.startsWith("literal:"))) {
            throw fail("record key type must be tid, nsid, any or literal:<value>, got " + key);
        }
        JsonNode record = def.get("record");
        if (record == null || !"object".equals(typeOf(record))) {
            throw fail("record must have a \"record\" of type object");
        }
        return new SchemaDef.RecordSchema(key, object(record));
    }

    SchemaDef field(JsonNode def) {
        String type = typeOf(def);
        if (!FIELD.contains(type)) {
            throw fail("type " + type + " is not allowed here");
        }
        return switch (type) {
            case "boolean" -> new SchemaDef.BooleanSchema(def.has("const") ? bool(def, "const") : null);
            case "integer" -> new SchemaDef.IntegerSchema(optionalLong(def, "minimum"), optionalLong(def, "maximum"),
                    longList(def, "enum"), optionalLong(def, "const"));
            case "string" -> string(def);
            case "bytes" -> new SchemaDef.BytesSchema(optionalInt(def, "minLength"), optionalInt(def, "maxLength"));
            case "cid-link" -> new SchemaDef.CidLinkSchema();
            case "blob" -> new SchemaDef.BlobSchema(textList(def, "accept"), optionalLong(def, "maxSize"));
            case "array" -> {
                JsonNode items = def.get("items");
                if (items == null) {
                    throw fail("array needs \"items\"");
                }
                yield new SchemaDef.ArraySchema(field(items), optionalInt(def, "minLength"), optionalInt(def, "maxLength"));
            }
            case "object" -> object(def);
            case "ref" -> new SchemaDef.RefSchema(absolute(requiredText(def, "ref")));
            case "union" -> union(def);
            case "unknown" -> new SchemaDef.UnknownSchema();
            default -> throw fail("unsupported type " + type);
        };
    }

    private SchemaDef.StringSchema string(JsonNode def) {
        String formatName = optionalText(def, "format");
        StringFormat format = null;
        if (formatName != null) {
            format = StringFormat.fromKeyword(formatName).orElseThrow(() -> fail("unknown string format " + formatName));
        }
        return new SchemaDef.StringSchema(format, optionalInt(def, "minLength"), optionalInt(def, "maxLength"),
                optionalInt(def, "minGraphemes"), optionalInt(def, "maxGraphemes"), textList(def, "enum"),
                optionalText(def, "const"), textList(def, "knownValues"));
    }

    private SchemaDef.ObjectSchema object(JsonNode def) {
        Map<String, SchemaDef> properties = new LinkedHashMap<>();
        JsonNode props = def.get("properties");
        if (props != null) {
            if (!props.isObject()) {
                throw fail("\"properties\" must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                properties.put(property.getKey(), field(property.getValue()));
            }
        }
        Set<String> required = new LinkedHashSet<>(textList(def, "required"));
        Set<String> nullable = new LinkedHashSet<>(textList(def, "nullable"));
        for (String name : required) {
            if (!properties.containsKey(name)) {
                throw fail("required field " + name + " is not declared in properties");
            }
        }
        return new SchemaDef.ObjectSchema(properties, required, nullable);
    }

    private SchemaDef.UnionSchema union(JsonNode def) {
        JsonNode refs = def.get("refs");
        if (refs == null || !refs.isArray()) {
            throw fail("union needs a \"refs\" array");
        }
        List<String> absolute = new ArrayList<>();
        for (String ref : textList(def, "refs")) {
            absolute.add(absolute(ref));
        }
        JsonNode closed = def.get("closed");
        return new SchemaDef.UnionSchema(absolute, closed != null && bool(def, "closed"));
    }

    /** {@code #name} becomes {@code thisDoc#name}; a bare NSID becomes {@code nsid#main}. */
    private String absolute(String ref) {
        String full;
        if (ref.startsWith("#")) {
            full = documentId + ref;
        } else if (ref.contains("#")) {
            full = ref;
        } else {
            full = ref + "#main";
        }
        int hash = full.indexOf('#');
        if (!Nsid.isValid(full.substring(0, hash)) || hash == full.length() - 1) {
            throw fail("invalid reference " + ref);
        }
        return full;
    }

    String typeOf(JsonNode def) {
        if (def == null || !def.isObject()) {
            throw fail("definition must be an object");
        }
        JsonNode type = def.get("type");
        if (type == null || !type.isTextual()) {
            throw fail("definition needs a string \"type\"");
        }
        return type.textValue();
    }

    private Boolean bool(JsonNode def, String field) {
        JsonNode value = def.get(field);
        if (!value.isBoolean()) {
            throw fail("\"" + field + "\" must be a boolean");
        }
        return value.booleanValue();
    }

    String requiredText(JsonNode def, String field) {
        String value = optionalText(def, field);
        if (value == null) {
            throw fail("\"" + field + "\" is required");
        }
        return value;
    }

    String optionalText(JsonNode def, String field) {
        JsonNode value = def.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw fail("\"" + field + "\" must be a string");
        }
        return value.textValue();
    }

    private Long optionalLong(JsonNode def, String field) {
        JsonNode value = def.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw fail("\"" + field + "\" must be an integer");
        }
        return value.longValue();
    }

    private Integer optionalInt(JsonNode def, String field) {
        Long value = optionalLong(def, field);
        if (value != null && (value < 0 || value > Integer.MAX_VALUE)) {
            throw fail("\"" + field + "\" must be a non-negative integer");
        }
        return value == null ? null : value.intValue();
    }

    List<String> textList(JsonNode def, String field) {
        JsonNode value = def.get(field);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw fail("\"" + field + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw fail("\"" + field + "\" must be an array of strings");
            }
            out.add(item.textValue());
        }
        return List.copyOf(out);
    }

    private List<Long> longList(JsonNode def, String field) {
        JsonNode value = def.get(field);
        if (value == null) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (item.isIntegralNumber()) {
                    out.add(item.longValue());
                    continue;
                }
                throw fail("\"" + field + "\" must be an array of integers");
            }
            return List.copyOf(out);
        }
        throw fail("\"" + field + "\" must be an array of integers");
    }

    InvalidLexiconException fail(String message) {
        return new InvalidLexiconException(where + ": " + message);
    }
}
