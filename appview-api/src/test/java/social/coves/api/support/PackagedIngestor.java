package social.coves.api.support;

import social.coves.localstack.ChildJvm;
import social.coves.localstack.testing.SharedKafka;
import social.coves.localstack.testing.SharedPostgres;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged firehose-ingestor as a child process against the shared Kafka broker and {@code database} (Flyway
 * creates the schema at start-up). By default in the indexer role only, without did:web hosting checks; {@code env}
 * overrides that (the Jetstream role, its URL), {@code systemProperties} override any other configuration, e.g. the
 * topics and consumer groups of a test that runs its own indexers.
 */
public final class PackagedIngestor {

    private final Process process;
    private final int port;

    private PackagedIngestor(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The indexer role alone, 384 MB of heap; waits until it is ready; its output is appended to {@code log}. */
    public static PackagedIngestor indexer(SharedPostgres.Connection database, Map<String, String> systemProperties, Path log) throws Exception {
        return start(database, Map.of(), systemProperties, "-Xmx384m", log);
    }

    public static PackagedIngestor start(SharedPostgres.Connection database, Map<String, String> env, Map<String, String> systemProperties,
                                         String heap, Path log) throws Exception {
        int port = ChildJvm.freePort();
        Process process = launch(database, env, systemProperties, heap, log, port);
        ReadinessProbe.await(process, "http://localhost:" + port, "the ingestor (log: " + log + ")");
        return new PackagedIngestor(process, port);
    }

    /** A one-shot role (the rebuild): runs it to its end and returns the exit code; its output is appended to {@code log}. */
    public static int runToExit(SharedPostgres.Connection database, Map<String, String> env, Map<String, String> systemProperties,
                                Path log, Duration timeout) throws Exception {
        Process process = launch(database, env, systemProperties, "-Xmx384m", log, ChildJvm.freePort());
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the ingestor did not exit within " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    private static Process launch(SharedPostgres.Connection database, Map<String, String> env, Map<String, String> systemProperties,
                                  String heap, Path log, int port) throws Exception {
        Path jar = Path.of(System.getProperty("coves.ingestor.jar", "../firehose-ingestor/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build firehose-ingestor first (./mvnw verify builds it before this module): " + jar.toAbsolutePath());
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString())));
        Map<String, String> vars = builder.environment();
        vars.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        vars.put("KAFKA_BOOTSTRAP_SERVERS", SharedKafka.bootstrapServers());
        vars.put("COVES_INGESTOR_JETSTREAM_ENABLED", "false");
        vars.put("COVES_INGESTOR_INDEXER_ENABLED", "true");
        // no did:web hosting checks: the tests that need verdicts write them (the job is tested in firehose-ingestor)
        vars.put("COVES_INDEXER_HOSTING_ENABLED", "false");
        // nor handle checks: the handles the tests' identity events claim are what the tests expect to see
        vars.put("COVES_INDEXER_HANDLES_ENABLED", "false");
        vars.put("QUARKUS_DATASOURCE_REACTIVE_URL", database.reactiveUrl());
        vars.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        vars.put("QUARKUS_DATASOURCE_USERNAME", database.user());
        vars.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        vars.putAll(env);
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    public Process process() {
        return process;
    }

    /** Its HTTP port (health, metrics). */
    public int port() {
        return port;
    }

    /** {@code kill -9}: no shutdown hook, no commit, no goodbye to the consumer group. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
