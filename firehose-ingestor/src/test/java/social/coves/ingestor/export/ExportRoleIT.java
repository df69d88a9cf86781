package social.coves.ingestor.export;

import org.junit.jupiter.api.Test;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.ChildJvm;
import social.coves.localstack.testing.SharedPostgres;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * following the topics while new events arrive, stopped with SIGTERM before its next commit was due: it commits what it
 * has read on the way out (its progress is on /q/metrics).
 */
class ExportRoleIT {

    @Test
    void theExportRoleRunsToTheEndThenFollowsAndStopsCleanly() throws Exception {
        ExportFixture f = new ExportFixture();
        List<EventEnvelope> all = ExportFixture.network(2_000, 12, Instant.parse("2026-05-01T00:00:00Z"));
        f.produce(all.subList(0, 1_200));
        Path log = Path.of("target", "export-role-" + f.id + ".log");

        Process once = launch(f, "end", log, 0, "PT2S");
        assertThat(once.waitFor(3, TimeUnit.MINUTES)).as("exits; log " + log).isTrue();
        assertThat(once.exitValue()).as("exit code; log " + log).isZero();
        assertThat(tables(f, all.subList(0, 1_200))).isEqualTo(new ExpectedTables(all.subList(0, 1_200)).countAndChecksum());

        // following, with commits far apart: the new events are read (metrics say so) but not committed when SIGTERM
        // arrives; stopping must commit them
        int port = ChildJvm.freePort();
        Process follow = launch(f, "follow", log, port, "PT10M");
        f.produce(all.subList(1_200, all.size()));
        Map<String, String> expected = new ExpectedTables(all).countAndChecksum();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> eventsRead(port) >= all.size() - 1_200);
        assertThat(tables(f, all)).as("nothing committed yet").isNotEqualTo(expected);
        follow.destroy();   // SIGTERM
        assertThat(follow.waitFor(2, TimeUnit.MINUTES)).as("stops; log " + log).isTrue();
        assertThat(follow.exitValue()).as("the JVM's answer to SIGTERM; log " + log).isEqualTo(143);
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

    /** {@code coves_export_events_read_total} of the running export, 0 while it is not up yet. */
    private static double eventsRead(int port) {
        try {
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("coves_export_events_read_total")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .findFirst().orElse(0);
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static Process launch(ExportFixture f, String until, Path log, int port, String flushInterval) throws Exception {
        Path jar = Path.of(System.getProperty("coves.ingestor.jar", "target/quarkus-app/quarkus-run.jar"));
        SharedPostgres.Connection pg = SharedPostgres.connection();
        ExportSettings s = f.settings("coves", 500);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dcoves.export.topics=" + String.join(",", s.topics()), "-Dcoves.export.flush-interval=" + flushInterval,
                "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString())));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
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
