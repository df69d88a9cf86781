package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Reads {@code com.atproto.label.defs#selfLabels} into the list of label values. */
final class SelfLabels {

    private SelfLabels() {
    }

    static List<String> read(Fields record, String field) {
        List<String> values = record.optionalObject(field, (JsonNode labels, String path) ->
                Fields.of(labels, path).list("values", (item, itemPath) -> Fields.of(item, itemPath).string("val")));
        return values == null ? List.of() : values;
    }
}
