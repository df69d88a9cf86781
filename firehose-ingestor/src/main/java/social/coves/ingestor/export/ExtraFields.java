package social.coves.ingestor.export;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import social.coves.lexicon.envelope.EventEnvelope;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Envelope fields newer than this code (docs/envelope.md: within v1 fields are only added, and only as optional
 * fields) become new nullable columns: a top-level field {@code fooBar} becomes {@code foo_bar}, a field of the
 * {@code commit}, {@code identity} or {@code account} object becomes {@code commit_foo_bar} and so on. The column's type
 * follows the first value seen: boolean, bigint, double, or text (objects and arrays as their JSON).
 *
 * <p>They are caught while the envelope is decoded, in the same pass: {@link #COLLECTOR} receives every property the
 * envelope types do not have and keeps it in the {@link ValueInProgress} of the thread.
 */
public final class ExtraFields {

    /** A value for a column the table may not have yet. */
    public record Extra(String column, Type type, Object value) {
    }

    static final DeserializationProblemHandler COLLECTOR = new DeserializationProblemHandler() {
        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            ValueInProgress decoding = ValueInProgress.current();
            JsonNode value = p.readValueAsTree();
            if (decoding != null && value != null && !value.isNull()) {
                decoding.unknownFields.put(prefix(beanOrClass) + snake(propertyName), value);
            }
            return true;
        }
    };

    private ExtraFields() {
    }

    /** The unknown fields of one envelope as typed column values; empty for nearly every event. */
    public static Map<String, Extra> of(Map<String, JsonNode> unknown, ExportTable table) {
        if (unknown.isEmpty()) {
            return Map.of();
        }
        Map<String, Extra> out = new LinkedHashMap<>();
        unknown.forEach((column, value) -> {
            String name = table.hasColumn(column) ? "extra_" + column : column;
            out.put(name, typed(name, value));
        });
        return out;
    }

    private static String prefix(Object beanOrClass) {
        Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
        if (type == EventEnvelope.Commit.class) {
            return "commit_";
        }
        if (type == EventEnvelope.Identity.class) {
            return "identity_";
        }
        if (type == EventEnvelope.Account.class) {
            return "account_";
        }
        return "";
    }

    private static Extra typed(String column, JsonNode value) {
        if (value.isBoolean()) {
            return new Extra(column, Types.BooleanType.get(), value.booleanValue());
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return new Extra(column, Types.LongType.get(), value.longValue());
        }
        if (value.isNumber()) {
            return new Extra(column, Types.DoubleType.get(), value.doubleValue());
        }
        return new Extra(column, Types.StringType.get(), value.isTextual() ? value.textValue() : value.toString());
    }

    /** {@code fooBar} → {@code foo_bar}; anything outside [a-z0-9_] becomes {@code _}. */
    static String snake(String field) {
        StringBuilder out = new StringBuilder(field.length() + 4);
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                out.append(c);
            } else {
                out.append('_');
            }
        }
        return out.toString();
    }
}
