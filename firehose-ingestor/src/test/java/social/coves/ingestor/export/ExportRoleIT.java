package social.coves.ingestor.export;

import org.junit.jupiter.api.Test;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.testing.SharedPostgres;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged ingestor in the export role, as an operator runs it: once to the end of the topics (exit code 0), then
 * following the topics while new events arrive, stopped with SIGTERM (it commits what it has read on the way out).
 */
class ExportRoleIT {

    @Test
    void theExportRoleRunsToTheEndThenFollowsAndStopsCleanly() throws Exception {
        ExportFixture f = new ExportFixture();
        List<EventEnvelope> all = ExportFixture.network(2_000, 12, Instant.parse("2026-05-01T00:00:00Z"));
        f.produce(all.subList(0, 1_200));
        Path log = Path.of("target", "export-role-" + f.id + ".log");

        Process once = launch(f, "end", log);
        assertThat(once.waitFor(3, TimeUnit.MINUTES)).as("exits; log " + log).isTrue();
        assertThat(once.exitValue()).as("exit code; log " + log).isZero();
        assertThat(tables(f, all.subList(0, 1_200))).isEqualTo(new ExpectedTables(all.subList(0, 1_200)).countAndChecksum());

        Process follow = launch(f, "follow", log);
        f.produce(all.subList(1_200, all.size()));
        Map<String, String> expected = new ExpectedTables(all).countAndChecksum();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> tables(f, all).get("votes").equals(expected.get("votes")));
        follow.destroy();   // SIGTERM
        assertThat(follow.waitFor(2, TimeUnit.MINUTES)).as("stops; log " + log).isTrue();
        assertThat(tables(f, all)).isEqualTo(expected);
        assertThat(Files.readString(log)).doesNotContain(SharedPostgres.connection().password() + "@");
    }

    private static Map<String, String> tables(ExportFixture f, List<EventEnvelope> history) {
        Map<String, String> out = new TreeMap<>();
        for (String table : new ExpectedTables(history).countAndChecksum().keySet()) {
            out.put(table, f.hasFiles("coves", table) ? ExportFixture.duck(ExpectedTables.checksumSql(table, f.files("coves", table))).getFirst() : "0 none");
        }
        return out;
    }

    private static Process launch(ExportFixture f, String until, Path log) throws Exception {
        Path jar = Path.of(System.getProperty("coves.ingestor.jar", "target/quarkus-app/quarkus-run.jar"));
        SharedPostgres.Connection pg = SharedPostgres.connection();
        ExportSettings s = f.settings("coves", 500);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dcoves.export.topics=" + String.join(",", s.topics()), "-Dcoves.export.flush-interval=PT2S",
                "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString())));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("KAFKA_BOOTSTRAP_SERVERS", f.bootstrap);
        env.put("COVES_INGESTOR_JETSTREAM_ENABLED", "false");
        env.put("COVES_INGESTOR_INDEXER_ENABLED", "false");
        env.put("COVES_INGESTOR_EXPORT_ENABLED", "true");
        env.put("COVES_EXPORT_UNTIL", until);
        env.put("COVES_EXPORT_WAREHOUSE", s.warehouse());
        env.put("COVES_EXPORT_NAMESPACE", s.namespace());
        env.put("COVES_EXPORT_GROUP_ID", s.groupId());
        env.put("COVES_EXPORT_BATCH_EVENTS", "500");
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }
}
