package social.coves.ingestor.logging;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;
import social.coves.lexicon.logging.LogRedaction;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Console log filter ({@code quarkus.log.console.filter=redact}): rewrites each record's message and exception so
 * tokens, Authorization values and email addresses never reach the logs ({@link LogRedaction}). Never drops a record.
 */
@LoggingFilter(name = "redact")
public final class RedactingLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String message = ext.getFormattedMessage();
            String redacted = LogRedaction.redact(message);
            if (redacted != message) {
                ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        } else if (record.getParameters() == null || record.getParameters().length == 0) {
            record.setMessage(LogRedaction.redact(record.getMessage()));
        }
        record.setThrown(LogRedaction.redact(record.getThrown()));
        return true;
    }
}
