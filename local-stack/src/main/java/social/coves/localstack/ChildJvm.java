package social.coves.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one of the local-stack launchers in a child JVM whose classpath is this module plus the dependencies listed
 * in {@code local-stack.classpath} (written at build time). The broker and database jars therefore stay off the
 * caller's classpath. The child exits when this JVM dies (its stdin pipe closes).
 */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final String readyValue;

    private ChildJvm(String name, Process process, String readyValue) {
        this.name = name;
        this.process = process;
        this.readyValue = readyValue;
    }

    /** Starts {@code mainClass} with {@code args} and waits for its {@link ReadyLine}. Output goes to {@code logFile}. */
    public static ChildJvm start(String name, Class<?> mainClass, List<String> args, Path logFile, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dslf4j.internal.verbosity=WARN", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass.getName());
        command.addAll(args);
        command.add("--exit-with-parent");
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String value = ChildProcesses.awaitReady(process, name, logFile, timeout);
            return new ChildJvm(name, process, value);
        } catch (Exception e) {
            throw new IllegalStateException("could not start " + name + " (log: " + logFile.toAbsolutePath() + "): " + e.getMessage(), e);
        }
    }

    /** What the child announced: a bootstrap address, a JDBC URL, a port. */
    public String readyValue() {
        return readyValue;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return name + "(" + readyValue + ")";
    }

    /** This module's classes (a jar or target/classes) followed by its build-time dependency list. */
    public static String classpath() {
        URL listing = ChildJvm.class.getResource("/local-stack.classpath");
        if (listing == null) {
            throw new IllegalStateException("local-stack.classpath is missing: build local-stack with Maven first");
        }
        try (InputStream in = listing.openStream()) {
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return ownLocation() + java.io.File.pathSeparator + dependencies;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read local-stack.classpath", e);
        }
    }

    private static String ownLocation() {
        try {
            return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A free TCP port on the loopback interface (racy by nature, fine for tests). */
    public static int freePort() {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
