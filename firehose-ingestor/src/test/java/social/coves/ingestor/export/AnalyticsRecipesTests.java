package social.coves.ingestor.export;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worked questions of docs/analytics.md, run as written (DuckDB over the exported Parquet files) against the
 * export of the sample the document names; each answer must be the one the document shows. With
 * {@code -Dcoves.recipes.print=true} the answers are printed instead, to paste into the document after a change.
 */
class AnalyticsRecipesTests {

    static final Path DOC = Path.of("..", "docs", "analytics.md");
    private static final Pattern RECIPE = Pattern.compile("### (\\d\\. [^\\n]+)\\n.*?```sql\\n(.*?)```.*?```text\\n(.*?)```", Pattern.DOTALL);

    /** The sample of the document: a generated network (seed 7, 20,000 events over the week from 2026-01-01), exported whole. */
    @Test
    void everyWorkedQuestionGivesTheAnswerTheDocumentShows() throws Exception {
        ExportFixture f = new ExportFixture();
        f.produce(ExportFixture.network(20_000, 7, Instant.parse("2026-01-01T00:00:00Z"), 7));
        f.export("coves", 100_000);
        String tables = f.warehouse.resolve(f.ns("coves")) + "/";

        String doc = Files.readString(DOC);
        Matcher m = RECIPE.matcher(doc.substring(doc.indexOf("## Five questions")));
        int recipes = 0;
        StringBuilder printed = new StringBuilder();
        while (m.find()) {
            recipes++;
            String answer = String.join("\n", run(m.group(2).replace(".local/warehouse/coves/", tables))) + "\n";
            printed.append("### ").append(m.group(1)).append('\n').append(answer).append('\n');
            if (!Boolean.getBoolean("coves.recipes.print")) {
                assertThat(answer).as(m.group(1)).isEqualTo(m.group(3));
            }
        }
        System.out.println(printed);
        assertThat(recipes).isEqualTo(5);
    }

    /** Column names, then one line per row; values joined by " | ". */
    static List<String> run(String sql) throws Exception {
        try (Connection c = ExportFixture.duckdb(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> lines = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            List<String> header = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                header.add(rs.getMetaData().getColumnLabel(i));
            }
            lines.add(String.join(" | ", header));
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(String.valueOf(rs.getString(i)));
                }
                lines.add(String.join(" | ", row));
            }
            return lines;
        }
    }
}
