package social.coves.lexicon.schema;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.syntax.Cid;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Walks a JSON value against a {@link SchemaDef}, collecting every broken rule (it does not stop at the first). */
final class ValueValidator {

    private static final int MAX_DEPTH = 64;

    private final LexiconCatalog catalog;
    private final List<ValidationError> errors = new ArrayList<>();

    ValueValidator(LexiconCatalog catalog) {
        this.catalog = catalog;
    }

    List<ValidationError> errors() {
        return errors;
    }

    void validate(SchemaDef def, JsonNode value, JsonPath path, int depth) {
        if (depth > MAX_DEPTH) {
            error(path, "nested deeper than " + MAX_DEPTH + " levels");
            return;
        }
        switch (def) {
            case SchemaDef.BooleanSchema s -> validateBoolean(s, value, path);
            case SchemaDef.IntegerSchema s -> validateInteger(s, value, path);
            case SchemaDef.StringSchema s -> validateString(s, value, path);
            case SchemaDef.BytesSchema s -> validateBytes(s, value, path);
            case SchemaDef.CidLinkSchema s -> validateCidLink(value, path);
            case SchemaDef.BlobSchema s -> validateBlob(s, value, path);
            case SchemaDef.ArraySchema s -> validateArray(s, value, path, depth);
            case SchemaDef.ObjectSchema s -> validateObject(s, value, path, depth);
            case SchemaDef.RefSchema s -> validateRef(s, value, path, depth);
            case SchemaDef.UnionSchema s -> validateUnion(s, value, path, depth);
            case SchemaDef.UnknownSchema s -> validateUnknown(value, path);
            case SchemaDef.TokenSchema s -> error(path, "a token cannot hold data");
            case SchemaDef.RecordSchema s -> validateObject(s.record(), value, path, depth);
            case SchemaDef.EndpointSchema s -> error(path, "a " + s.type() + " definition cannot validate data");
            case SchemaDef.XrpcSchema s -> error(path, "a " + s.type() + " definition cannot validate data");
        }
    }

    private void validateBoolean(SchemaDef.BooleanSchema s, JsonNode value, JsonPath path) {
        if (!value.isBoolean()) {
            error(path, "expected a boolean, got " + kind(value));
        } else if (s.constValue() != null && s.constValue() != value.booleanValue()) {
            error(path, "must be " + s.constValue());
        }
    }

    private void validateInteger(SchemaDef.IntegerSchema s, JsonNode value, JsonPath path) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            error(path, "expected an integer, got " + kind(value));
            return;
        }
        long n = value.longValue();
        if (s.constValue() != null && s.constValue() != n) {
            error(path, "must be " + s.constValue());
        }
        if (!s.enumValues().isEmpty() && !s.enumValues().contains(n)) {
            error(path, "must be one of " + s.enumValues());
        }
        if (s.minimum() != null && n < s.minimum()) {
            error(path, "less than minimum " + s.minimum());
        }
        if (s.maximum() != null && n > s.maximum()) {
            error(path, "greater than maximum " + s.maximum());
        }
    }

    private void validateString(SchemaDef.StringSchema s, JsonNode value, JsonPath path) {
        if (!value.isTextual()) {
            error(path, "expected a string, got " + kind(value));
            return;
        }
        String text = value.textValue();
        if (s.constValue() != null && !s.constValue().equals(text)) {
            error(path, "must be \"" + s.constValue() + "\"");
        }
        if (!s.enumValues().isEmpty() && !s.enumValues().contains(text)) {
            error(path, "must be one of " + s.enumValues());
        }
        if (s.maxLength() != null || s.minLength() != null) {
            // UTF-8 length is at least the UTF-16 length and at most three times it: skip counting when that settles it
            boolean surelyShortEnough = s.maxLength() == null || text.length() * 3 <= s.maxLength();
            boolean surelyLongEnough = s.minLength() == null || text.length() >= s.minLength();
            if (!surelyShortEnough || !surelyLongEnough) {
                int bytes = Graphemes.utf8Length(text);
                if (s.maxLength() != null && bytes > s.maxLength()) {
                    error(path, "longer than " + s.maxLength() + " bytes (UTF-8)");
                }
                if (s.minLength() != null && bytes < s.minLength()) {
                    error(path, "shorter than " + s.minLength() + " bytes (UTF-8)");
                }
            }
        }
        if (s.maxGraphemes() != null || s.minGraphemes() != null) {
            // a string never has more grapheme clusters than UTF-16 units
            boolean surelyShortEnough = s.maxGraphemes() == null || text.length() <= s.maxGraphemes();
            if (!surelyShortEnough || s.minGraphemes() != null) {
                int graphemes = Graphemes.count(text);
                if (s.maxGraphemes() != null && graphemes > s.maxGraphemes()) {
                    error(path, "longer than " + s.maxGraphemes() + " graphemes");
                }
                if (s.minGraphemes() != null && graphemes < s.minGraphemes()) {
                    error(path, "shorter than " + s.minGraphemes() + " graphemes");
                }
            }
        }
        if (s.format() != null && !s.format().accepts(text)) {
            error(path, "not a valid " + s.format().keyword());
        }
    }

    private void validateBytes(SchemaDef.BytesSchema s, JsonNode value, JsonPath path) {
        JsonNode encoded = value.isObject() && value.size() == 1 ? value.get("$bytes") : null;
        if (encoded == null || !encoded.isTextual()) {
            error(path, "expected bytes ({\"$bytes\": base64}), got " + kind(value));
            return;
        }
        int length;
        try {
            length = Base64.getDecoder().decode(encoded.textValue()).length;
        } catch (IllegalArgumentException e) {
            error(path, "$bytes is not valid base64");
            return;
        }
        if (s.maxLength() != null && length > s.maxLength()) {
            error(path, "longer than " + s.maxLength() + " bytes");
        }
        if (s.minLength() != null && length < s.minLength()) {
            error(path, "shorter than " + s.minLength() + " bytes");
        }
    }

    private void validateCidLink(JsonNode value, JsonPath path) {
        if (!isCidLink(value)) {
            error(path, "expected a cid-link ({\"$link\": cid}), got " + kind(value));
        }
    }

    private void validateBlob(SchemaDef.BlobSchema s, JsonNode value, JsonPath path) {
        if (!value.isObject() || !"blob".equals(value.path("$type").textValue())) {
            error(path, "expected a blob ({\"$type\": \"blob\", ...}), got " + kind(value));
            return;
        }
        JsonNode mimeType = value.get("mimeType");
        JsonNode size = value.get("size");
        boolean ok = true;
        if (!isCidLink(value.get("ref"))) {
            error(path.field("ref"), "blob ref must be a cid-link");
            ok = false;
        }
        if (mimeType == null || !mimeType.isTextual() || mimeType.textValue().isEmpty()) {
            error(path.field("mimeType"), "blob mimeType must be a non-empty string");
            ok = false;
        }
        if (size == null || !size.isIntegralNumber() || size.longValue() < 0) {
            error(path.field("size"), "blob size must be a non-negative integer");
            ok = false;
        }
        if (!ok) {
            return;
        }
        if (s.maxSize() != null && size.longValue() > s.maxSize()) {
            error(path, "blob larger than " + s.maxSize() + " bytes");
        }
        if (!s.accept().isEmpty() && s.accept().stream().noneMatch(p -> mimeMatches(p, mimeType.textValue()))) {
            error(path, "blob mimeType " + mimeType.textValue() + " not accepted " + s.accept());
        }
    }

    private void validateArray(SchemaDef.ArraySchema s, JsonNode value, JsonPath path, int depth) {
        if (!value.isArray()) {
            error(path, "expected an array, got " + kind(value));
            return;
        }
        if (s.maxLength() != null && value.size() > s.maxLength()) {
            error(path, "more than " + s.maxLength() + " items");
        }
        if (s.minLength() != null && value.size() < s.minLength()) {
            error(path, "fewer than " + s.minLength() + " items");
        }
        for (int i = 0; i < value.size(); i++) {
            validate(s.items(), value.get(i), path.index(i), depth + 1);
        }
    }

    private void validateObject(SchemaDef.ObjectSchema s, JsonNode value, JsonPath path, int depth) {
        if (!value.isObject()) {
            error(path, "expected an object, got " + kind(value));
            return;
        }
        for (String name : s.required()) {
            if (!value.has(name)) {
                error(path.field(name), "required field missing");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            SchemaDef property = s.properties().get(field.getKey());
            if (property == null) {
                continue; // unknown fields are allowed: lexicons evolve by adding optional fields
            }
            JsonNode fieldValue = field.getValue();
            if (fieldValue.isNull()) {
                if (!s.nullable().contains(field.getKey())) {
                    error(path.field(field.getKey()), "must not be null");
                }
                continue;
            }
            validate(property, fieldValue, path.field(field.getKey()), depth + 1);
        }
    }

    private void validateRef(SchemaDef.RefSchema s, JsonNode value, JsonPath path, int depth) {
        SchemaDef target = catalog.find(s.ref()).orElse(null);
        if (target == null) {
            error(path, "unresolved reference " + s.ref());
        } else if (target instanceof SchemaDef.TokenSchema) {
            if (!value.isTextual() || !(value.textValue().equals(s.ref()) || (s.ref().endsWith("#main")
                    && value.textValue().equals(s.ref().substring(0, s.ref().length() - 5))))) {
                error(path, "expected token " + s.ref());
            }
        } else {
            validate(target, value, path, depth + 1);
        }
    }

    private void validateUnion(SchemaDef.UnionSchema s, JsonNode value, JsonPath path, int depth) {
        if (!value.isObject()) {
            error(path, "expected an object with $type (union), got " + kind(value));
            return;
        }
        JsonNode type = value.get("$type");
        if (type == null || !type.isTextual() || type.textValue().isEmpty()) {
            error(path, "union member must have a string $type");
            return;
        }
        String ref = LexiconCatalog.absoluteType(type.textValue());
        if (!s.refs().contains(ref)) {
            if (s.closed()) {
                error(path, "$type " + type.textValue() + " is not one of the closed union " + s.refs());
            }
            return; // open unions accept types they do not know, without checking their content
        }
        SchemaDef target = catalog.find(ref).orElse(null);
        if (target == null) {
            error(path, "unresolved union member " + ref);
            return;
        }
        validate(target, value, path, depth + 1);
    }

    private void validateUnknown(JsonNode value, JsonPath path) {
        if (!value.isObject()) {
            error(path, "unknown-type field must be an object, got " + kind(value));
        } else if (value.has("$bytes") || value.has("$link") || "blob".equals(value.path("$type").textValue())) {
            error(path, "unknown-type field must be a plain object, not bytes, a link or a blob");
        }
    }

    private static boolean isCidLink(JsonNode value) {
        if (value == null || !value.isObject() || value.size() != 1) {
            return false;
        }
        JsonNode link = value.get("$link");
        return link != null && link.isTextual() && Cid.isValid(link.textValue());
    }

    static boolean mimeMatches(String pattern, String mimeType) {
        if (pattern.equals("*/*")) {
            return true;
        }
        if (pattern.endsWith("/*")) {
            return mimeType.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(mimeType);
    }

    static String kind(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        if (value.isFloatingPointNumber()) {
            return "a float";
        }
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    void error(JsonPath path, String message) {
        errors.add(new ValidationError(path.toString(), message));
    }
}
