package social.coves.api.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a logged statement becomes a pgbench script (the mix's SQL ceiling, {@link MixSqlCeiling}). */
class MixSqlCeilingTests {

    @Test
    void parametersAreReadFromTheLogsDetailWithQuotesAndNulls() {
        assertThat(MixSqlCeiling.parameters("Parameters: $1 = 'at://did:plc:x/a', $2 = NULL, $3 = 'it''s, {a,b}'"))
                .containsExactly("at://did:plc:x/a", null, "it's, {a,b}");
        assertThat(MixSqlCeiling.parameters("")).isEmpty();
    }

    @Test
    void placeholdersBecomeVariablesAndNullsAreWrittenIn() {
        List<String> parameters = Arrays.asList("a", null, "c", "d", "e", "f", "g", "h", "i", "j");
        String sql = "SELECT x FROM t WHERE a = $1 AND b = $2::timestamptz AND c = ANY($3::text[]) AND j = $10 AND k::text = 'did:web:x'";
        assertThat(MixSqlCeiling.withPgbenchVariables(sql, parameters)).isEqualTo(
                "SELECT x FROM t WHERE a = :p1 AND b = NULL::timestamptz AND c = ANY(:p2::text[]) AND j = :p9 AND k::text = "
                        + "'did' || chr(58) || 'web' || chr(58) || 'x'");
    }
}
