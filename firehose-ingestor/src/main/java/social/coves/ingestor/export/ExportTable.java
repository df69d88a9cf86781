package social.coves.ingestor.export;

import java.util.List;
import java.util.function.Predicate;

/**
 * One exported table: its name in the catalog namespace, which log events become its rows, and its fixed columns (in
 * order). Columns for envelope fields newer than this code are added at run time ({@link ExtraFields}). Every table is
 * partitioned by the day of {@code event_time} (the event's Jetstream {@code time_us}).
 */
public record ExportTable(String name, Predicate<LogEvent> accepts, List<ExportColumn> columns) {

    public static final String PARTITION_COLUMN = "event_time";

    public int partitionColumnIndex() {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(PARTITION_COLUMN)) {
                return i;
            }
        }
        throw new IllegalStateException(name + " has no " + PARTITION_COLUMN);
    }

    public boolean hasColumn(String column) {
        return columns.stream().anyMatch(c -> c.name().equals(column));
    }
}
