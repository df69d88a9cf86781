package social.coves.ingestor.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Metrics;
import org.jboss.logging.Logger;
import social.coves.lexicon.CovesLexicons;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.schema.ValidationError;
import social.coves.lexicon.syntax.Datetime;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Small helpers shared by the projections; everything here is a pure function of the envelope (replay-safe). */
public final class ProjectionSupport {

    private static final Logger LOG = Logger.getLogger(ProjectionSupport.class);

    private ProjectionSupport() {
    }

    /** The event's time (Jetstream time_us), or null when absent. */
    public static OffsetDateTime eventTime(EventEnvelope event) {
        return event.timeUs() <= 0 ? null
                : OffsetDateTime.ofInstant(Instant.EPOCH.plus(event.timeUs(), ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    /**
     * The record's createdAt, clamped to the event time when it claims the future (anti-gaming for new/hot);
     * deterministic because both come from the envelope.
     */
    public static OffsetDateTime createdAt(Datetime createdAt, EventEnvelope event) {
        OffsetDateTime at = OffsetDateTime.ofInstant(createdAt.instant(), ZoneOffset.UTC);
        OffsetDateTime seen = eventTime(event);
        return seen != null && at.isAfter(seen) ? seen : at;
    }

    public static String json(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.toString();
    }

    public static String[] array(List<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }

    /**
     * The record of a create/update as {@code parser} reads it, when it parses and names the repo holding it wherever
     * its collection must ({@link CovesLexicons#repoMismatch}); otherwise empty, and the record is {@link #skip}ped.
     */
    public static <T> Optional<T> parsedFromItsRepo(EventEnvelope event, Function<JsonNode, T> parser) {
        T parsed;
        try {
            parsed = parser.apply(event.commit().record());
        } catch (RuntimeException e) {
            skip(event, e.getMessage());
            return Optional.empty();
        }
        Optional<ValidationError> notTheRepo = CovesLexicons.repoMismatch(event.commit().collection(), event.commit().record(), event.did());
        if (notTheRepo.isPresent()) {
            skip(event, notTheRepo.get().toString());
            return Optional.empty();
        }
        return Optional.of(parsed);
    }

    /** Counts and logs a record the projection refuses (the ledger still holds its rev). */
    public static void skip(EventEnvelope event, String reason) {
        Metrics.counter("coves_indexer_skipped_records_total", "collection", event.commit().collection()).increment();
        LOG.warnf("indexer: skipped %s: %s", event.commit().uri(event.did()), reason);
    }
}
