package social.coves.ingestor.jetstream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResumePlanTests {

    private final ResumePlan seq = new ResumePlan(ResumePlan.Kind.SEQ, 900L, 1000);

    @Test
    void theAnchorRedeliveredIsFine() {
        assertThat(seq.problem(900, true)).isNull();
        assertThat(seq.problem(1000, true)).isNull();
    }

    @Test
    void aResetServerAFutureOrClampedCursorAndALegacyServerAreAlarmed() {
        assertThat(seq.problem(1, true)).isEqualTo("seq_backwards");
        assertThat(seq.problem(5000, true)).isEqualTo("anchor_missing");
        assertThat(seq.problem(1_790_000_000_000_000L, false)).isEqualTo("server_without_seq");
        assertThat(seq.verdict("seq_backwards")).isEqualTo(ResumePlan.Verdict.FALL_BACK_TO_TIME);
    }

    @Test
    void aLegacyTimeCursorThatDoesNotComeBackWasClamped() {
        ResumePlan legacy = new ResumePlan(ResumePlan.Kind.LEGACY_TIME, 1_790_000_000_000_000L, 1_790_000_010_000_000L);
        assertThat(legacy.problem(1_790_000_005_000_000L, false)).isNull();
        assertThat(legacy.problem(1_790_000_099_000_000L, false)).isEqualTo("time_cursor_clamped");
        assertThat(legacy.verdict("time_cursor_clamped")).isEqualTo(ResumePlan.Verdict.ALARM_AND_CONTINUE);
    }
}
