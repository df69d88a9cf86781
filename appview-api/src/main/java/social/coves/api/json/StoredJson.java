package social.coves.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * Record fields stored as {@code jsonb} (facets, embeds), read as text ({@code column::text}). Fields the API passes
 * through unchanged are written raw — Postgres only stores valid JSON — instead of being parsed into a tree and
 * serialised again; fields it rewrites (embeds, for image URLs) are parsed.
 */
public final class StoredJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StoredJson() {
    }

    /** Sets {@code field} to the stored JSON text as is; leaves it out when there is none. */
    public static void putRaw(ObjectNode node, String field, String json) {
        if (json != null) {
            node.putRawValue(field, new RawValue(json));
        }
    }

    /** The stored JSON text as a tree, or null when there is none (or, which Postgres rules out, it is not JSON). */
    public static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            return null;
        }
    }
}
