package social.coves.api.support;

import social.coves.localstack.ChildJvm;
import social.coves.localstack.testing.SharedPostgres;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The packaged appview-api ({@code target/quarkus-app}) as a child process, in its production profile. */
public final class PackagedApi implements AutoCloseable {

    private final Process process;
    private final String url;

    private PackagedApi(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    public static PackagedApi start(String name, Map<String, String> env) throws Exception {
        Path jar = Path.of(System.getProperty("coves.api.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("package appview-api first (failsafe runs after package): " + jar.toAbsolutePath());
        }
        int port = ChildJvm.freePort();
        SharedPostgres.Connection pg = SharedPostgres.connection();
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString())).redirectErrorStream(true)
                .redirectOutput(new File("target/it-" + name + ".log"));
        Map<String, String> vars = builder.environment();
        vars.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        vars.put("QUARKUS_OTEL_SDK_DISABLED", "true");
        vars.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl());
        vars.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        vars.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
        vars.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        vars.put("COVES_API_CURSOR_SECRET", "it-only-cursor-secret");
        vars.put("COVES_API_RATE_LIMIT_PER_MINUTE", "1000000");
        vars.put("COVES_INSTANCE_WRITES_PER_MINUTE", "1000000");
        vars.putAll(env);
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        PackagedApi api = new PackagedApi(process, "http://localhost:" + port);
        ReadinessProbe.await(process, api.url(), name + " (log: target/it-" + name + ".log)");
        return api;
    }

    public String url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
