package social.coves.ingestor.export;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One row on its way to a table: its values in the table's column order, values for columns newer than this code,
 * where it came from in Kafka, and for a comment the references its depth is worked out from. Rows are made on every
 * core as records are parsed; the JSON trees are not kept.
 */
record ExportRow(ExportTable table, String topic, int partition, long offset, Object[] values,
                 Map<String, ExtraFields.Extra> extras, CommentRef comment) {

    /** A comment's own URI, its parent's and its thread root's. */
    record CommentRef(String uri, String parent, String root) {
    }

    static ExportRow of(LogEvent event) {
        ExportTable table = ExportTables.of(event);
        Object[] values = new Object[table.columns().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = table.columns().get(i).value().apply(event);
        }
        CommentRef comment = null;
        if (event.record() instanceof social.coves.lexicon.records.CommunityComment c) {
            comment = new CommentRef(event.commit().uri(event.envelope().did()), c.reply().parent().uri().toString(),
                    c.reply().root().uri().toString());
        }
        return new ExportRow(table, event.topic(), event.partition(), event.offset(), values,
                ExtraFields.of(event.unknownFields(), table), comment);
    }

    /** The day of {@code event_time}: the table's partition. */
    LocalDate day() {
        return ((OffsetDateTime) values[table.partitionColumnIndex()]).toLocalDate();
    }
}
