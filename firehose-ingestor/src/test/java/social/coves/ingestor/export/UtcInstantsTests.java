package social.coves.ingestor.export;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UtcInstantsTests {

    @Test
    void readsWhatInstantParseReads() {
        for (String s : List.of("2026-12-01T10:00:00Z", "2026-12-01T10:00:00.5Z", "2026-12-01T10:00:00.500Z",
                "2024-02-29T23:59:59.123456789Z", "1970-01-01T00:00:00Z", "2026-12-01T10:00:00+01:00", "2026-12-01T10:00:00.123456Z",
                "2026-12-01T24:00:00Z", "2026-12-01T10:00:00.Z")) {   // the last two: Instant.parse's leniency, kept
            assertThat(UtcInstants.parse(s)).as(s).isEqualTo(Instant.parse(s));
        }
    }

    @Test
    void refusesWhatInstantParseRefuses() {
        for (String s : List.of("2025-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-12-01 10:00:00Z", "2026-12-01T10:00:0aZ", "yesterday")) {
            assertThatThrownBy(() -> UtcInstants.parse(s)).as(s).isInstanceOf(DateTimeParseException.class);
        }
    }
}
