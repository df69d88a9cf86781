package social.coves.ingestor.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Rows sent to Postgres as one JSON array per statement ({@code jsonb_to_recordset}): how their values are written. */
public final class RowJson {

    private static final DateTimeFormatter TS = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private RowJson() {
    }

    public static String ts(OffsetDateTime t) {
        return t == null ? null : TS.format(t);
    }

    /** A JSON column; absent (SQL NULL) when the value is. */
    public static void putJson(ObjectNode row, String field, JsonNode value) {
        if (value != null && !value.isNull() && !value.isMissingNode()) {
            row.set(field, value);
        }
    }

    /** A text[] column; absent (SQL NULL) when the list is. */
    public static void putArray(ObjectNode row, String field, List<String> values) {
        if (values != null) {
            ArrayNode a = row.putArray(field);
            values.forEach(a::add);
        }
    }

    /** The {@code uri} of every row. */
    public static String[] uris(ArrayNode rows) {
        String[] out = new String[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i).get("uri").asText();
        }
        return out;
    }
}
