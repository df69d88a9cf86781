package social.coves.ingestor.export;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Envelope fields newer than this code (docs/envelope.md: within v1 fields are only added, and only as optional
 * fields) become new nullable columns: a top-level field {@code fooBar} becomes {@code foo_bar}, a field of the
 * {@code commit}, {@code identity} or {@code account} object becomes {@code commit_foo_bar} and so on. The column's type
 * follows the first value seen: boolean, bigint, double, or text (objects and arrays as their JSON).
 */
public final class ExtraFields {

    /** A value for a column the table may not have yet. */
    public record Extra(String column, Type type, Object value) {
    }

    private static final Set<String> TOP = Set.of("v", "kind", "did", "timeUs", "seq", "source", "receivedAt", "commit", "identity", "account");
    private static final Map<String, Set<String>> PAYLOADS = Map.of(
            "commit", Set.of("operation", "collection", "rkey", "rev", "cid", "record"),
            "identity", Set.of("handle", "seq", "time"),
            "account", Set.of("active", "status", "seq", "time"));

    private ExtraFields() {
    }

    /** The unknown fields of one envelope, keyed by column name; empty for nearly every event. */
    public static Map<String, Extra> of(JsonNode envelope, ExportTable table) {
        Map<String, Extra> extras = null;
        for (var it = envelope.properties().iterator(); it.hasNext(); ) {
            var field = it.next();
            String name = field.getKey();
            if (PAYLOADS.containsKey(name) && field.getValue().isObject()) {
                Set<String> known = PAYLOADS.get(name);
                for (var inner = field.getValue().properties().iterator(); inner.hasNext(); ) {
                    var f = inner.next();
                    if (!known.contains(f.getKey())) {
                        extras = put(extras, table, name + "_" + snake(f.getKey()), f.getValue());
                    }
                }
            } else if (!TOP.contains(name)) {
                extras = put(extras, table, snake(name), field.getValue());
            }
        }
        return extras == null ? Map.of() : extras;
    }

    private static Map<String, Extra> put(Map<String, Extra> extras, ExportTable table, String column, JsonNode value) {
        if (value.isNull()) {
            return extras;
        }
        String name = table.hasColumn(column) ? "extra_" + column : column;
        Map<String, Extra> out = extras == null ? new LinkedHashMap<>() : extras;
        out.put(name, typed(name, value));
        return out;
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
