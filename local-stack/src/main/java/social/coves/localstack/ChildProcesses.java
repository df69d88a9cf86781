package social.coves.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Child processes that announce themselves with a {@link ReadyLine}: JVM launchers and the node PDS stack. */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /**
     * Copies the process's output to {@code logFile} (on a daemon thread) and waits for its ready line; answers what
     * the line says. Fails when the process exits first or does not announce itself within {@code timeout}.
     */
    public static String awaitReady(Process process, String name, Path logFile, Duration timeout) throws Exception {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process.getInputStream(), logFile, ready), name + "-output");
        pump.setDaemon(true);
        pump.start();
        process.onExit().thenRun(() -> ready.completeExceptionally(new IllegalStateException(
                name + " exited with " + process.exitValue() + " before it was ready; see " + logFile.toAbsolutePath())));
        return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM, {@code grace} to exit, then SIGKILL. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void pump(InputStream in, Path logFile, CompletableFuture<String> ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.println(line);
                if (line.startsWith(ReadyLine.PREFIX)) {
                    ready.complete(line.substring(ReadyLine.PREFIX.length()).trim());
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }
}
