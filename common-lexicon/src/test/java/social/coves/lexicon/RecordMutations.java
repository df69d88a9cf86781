package social.coves.lexicon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Schema-agnostic mutations of a record: at every field and array element, remove it, swap in values of other types,
 * over-long strings (in bytes and in graphemes), malformed identifiers, out-of-range numbers and over-full arrays.
 * Used to compare two lexicon sets: whatever the mutation, both must give the same verdict.
 */
public final class RecordMutations {

    public record Mutation(String description, ObjectNode record) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String FAMILY = "👩‍👩‍👦‍👦"; // one grapheme, 25 UTF-8 bytes

    private RecordMutations() {
    }

    public static List<Mutation> of(ObjectNode record) {
        List<Mutation> out = new ArrayList<>();
        walk(record, record, "$", out);
        return out;
    }

    private static void walk(ObjectNode root, JsonNode node, String path, List<Mutation> out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            for (String name : names) {
                String child = path + "." + name;
                out.add(mutate(root, child + " removed", copy -> ((ObjectNode) parentOf(copy, path)).remove(name)));
                for (JsonNode replacement : replacements(node.get(name))) {
                    out.add(mutate(root, child + " = " + abbreviate(replacement), copy -> ((ObjectNode) parentOf(copy, path)).set(name, replacement)));
                }
                walk(root, node.get(name), child, out);
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            if (!array.isEmpty()) {
                out.add(mutate(root, path + " emptied", copy -> ((ArrayNode) parentOf(copy, path)).removeAll()));
                out.add(mutate(root, path + " x60", copy -> {
                    ArrayNode target = (ArrayNode) parentOf(copy, path);
                    JsonNode first = target.get(0);
                    while (target.size() < 60) {
                        target.add(first.deepCopy());
                    }
                    return null;
                }));
            }
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                for (JsonNode replacement : replacements(array.get(i))) {
                    out.add(mutate(root, path + "[" + i + "] = " + abbreviate(replacement), copy -> ((ArrayNode) parentOf(copy, path)).set(index, replacement)));
                }
                walk(root, array.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static List<JsonNode> replacements(JsonNode original) {
        List<JsonNode> values = new ArrayList<>(List.of(
                F.numberNode(123), F.numberNode(-1), F.numberNode(0), F.numberNode(1_000_000_000L), F.numberNode(1.5),
                F.textNode("x"), F.textNode(""), F.textNode("not a valid identifier!"), F.booleanNode(true),
                F.nullNode(), F.objectNode(), F.arrayNode(),
                F.textNode("a".repeat(65)), F.textNode("a".repeat(301)), F.textNode("a".repeat(3001)),
                F.textNode(FAMILY.repeat(65)), F.textNode(FAMILY.repeat(301)), F.textNode("é".repeat(1500))));
        if (original.isTextual()) {
            values.add(F.textNode(original.textValue() + " "));
            values.add(F.textNode(original.textValue().toUpperCase()));
        }
        if (original.isObject() && original.has("$type")) {
            ObjectNode retyped = original.deepCopy();
            retyped.put("$type", "com.example.unknown.thing");
            values.add(retyped);
            ObjectNode untyped = original.deepCopy();
            untyped.remove("$type");
            values.add(untyped);
        }
        return values;
    }

    private static Mutation mutate(ObjectNode root, String description, Function<JsonNode, Object> change) {
        ObjectNode copy = root.deepCopy();
        change.apply(copy);
        return new Mutation(description, copy);
    }

    /** Follows a path like {@code $.a.b[2].c} from the root of {@code copy}. */
    private static JsonNode parentOf(JsonNode copy, String path) {
        JsonNode node = copy;
        String rest = path.substring(1);
        while (!rest.isEmpty()) {
            if (rest.startsWith(".")) {
                int end = nextSeparator(rest, 1);
                node = node.get(rest.substring(1, end));
                rest = rest.substring(end);
            } else {
                int end = rest.indexOf(']');
                node = node.get(Integer.parseInt(rest.substring(1, end)));
                rest = rest.substring(end + 1);
            }
        }
        return node;
    }

    private static int nextSeparator(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == '.' || s.charAt(i) == '[') {
                return i;
            }
        }
        return s.length();
    }

    private static String abbreviate(JsonNode value) {
        String text = value.toString();
        return text.length() > 24 ? text.substring(0, 20) + "…(" + text.length() + ")" : text;
    }
}
