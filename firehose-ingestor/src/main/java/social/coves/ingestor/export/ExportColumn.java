package social.coves.ingestor.export;

import org.apache.iceberg.types.Type;

import java.util.function.Function;

/** One typed column of an exported table and how a log event fills it (null = SQL NULL). */
public record ExportColumn(String name, Type type, Function<LogEvent, Object> value) {
}
