package social.coves.ingestor.export;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one export run does (the role's {@link ExportConfig}, or a test's own values).
 *
 * @param warehouse      where the table folders go: a local path or any Hadoop filesystem URI ({@code hdfs://...})
 * @param catalog        the Iceberg JDBC catalog's database (its tables go to {@code catalog.schema})
 * @param from           where to start in partitions no table has an offset for yet
 * @param follow         false: stop at the end offsets seen at start; true: keep exporting as events arrive
 * @param batchEvents    events read per commit (a commit writes one Parquet file per table and day)
 * @param flushInterval  when following, commit at least this often while events arrive
 * @param checkpointEvery a table that received no rows still records the offsets every this many commits, so a restart
 *                       never re-reads far for it
 */
public record ExportSettings(String bootstrapServers, List<String> topics, String groupId, String warehouse,
                             CatalogDatabase catalog, String namespace, StartFrom from, boolean follow, int batchEvents,
                             Duration flushInterval, int checkpointEvery) {

    public record CatalogDatabase(String jdbcUrl, String user, String password, String schema) {
        @Override
        public String toString() {   // never print the password
            return "CatalogDatabase[" + jdbcUrl + ", user=" + user + ", schema=" + schema + "]";
        }
    }

    /** {@code earliest}, {@code latest}, {@code time:<ISO-8601 instant>} or {@code offset:<n>}. */
    public sealed interface StartFrom {
        record Earliest() implements StartFrom { }

        record Latest() implements StartFrom { }

        record AtTime(Instant time) implements StartFrom { }

        record AtOffset(long offset) implements StartFrom { }

        static StartFrom parse(String text) {
            String t = text.trim();
            if (t.equals("earliest")) {
                return new Earliest();
            }
            if (t.equals("latest")) {
                return new Latest();
            }
            if (t.startsWith("time:")) {
                return new AtTime(Instant.parse(t.substring(5)));
            }
            if (t.startsWith("offset:")) {
                return new AtOffset(Long.parseLong(t.substring(7)));
            }
            throw new IllegalArgumentException("coves.export.from must be earliest, latest, time:<instant> or offset:<n>, not " + text);
        }
    }
}
