package social.coves.localstack.pds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import social.coves.localstack.ChildProcesses;
import social.coves.localstack.ReadyLine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real atproto PDS, its PLC directory and a Jetstream v1 feed of the PDS's commits: {@code local-stack/pds/stack.mjs}
 * run by Node as a child process. Like {@link social.coves.localstack.ChildJvm}: output goes to a log file, the
 * stack is ready when it prints its {@link ReadyLine}, and it exits when this JVM dies (its stdin closes).
 * {@link #close()} stops it with SIGTERM, then kills it.
 *
 * <p>The package folder is {@code -Dcoves.pds.dir} (or {@code COVES_PDS_DIR}), else the first
 * {@code local-stack/pds} found walking up from the working directory. Without {@code node_modules} (or with one
 * older than {@code package-lock.json}) {@code npm ci} runs there first, once. Node is {@code -Dcoves.node} (or
 * {@code COVES_NODE}), default {@code node} on the PATH.
 */
public final class PdsStack implements AutoCloseable {

    /** Where the stack serves. Handle domains start with a dot ({@code .coves.test}). */
    public record Endpoints(String plcUrl, String pdsUrl, String jetstreamUrl, String adminPassword,
                            List<String> handleDomains) {

        /** The first handle domain with its leading dot: {@code .coves.test}. */
        public String handleDomain() {
            return handleDomains.get(0);
        }

        /** The first handle domain without its leading dot ({@code coves.test}): {@code coves.instance.domain}. */
        public String instanceDomain() {
            return handleDomain().substring(1);
        }

        /** {@code name + handleDomain()}: {@code alice} → {@code alice.coves.test}. */
        public String handle(String name) {
            return name + handleDomain();
        }
    }

    /**
     * How to start it. Ports 0 = free ports. {@code adminPassword} null = generated (or the one kept in
     * {@code dataDir}). Test only: {@code loopbackHosts} are names that resolve to 127.0.0.1 for every outgoing
     * connection of the stack's process (e.g. {@code appview.coves-e2e.net}, where a test serves an OAuth client's
     * metadata document), and {@code extraCaCertificates} (a PEM file, null = none) is trusted by it on top of the
     * usual roots ({@code NODE_EXTRA_CA_CERTS}).
     */
    public record Options(int plcPort, int pdsPort, int jetstreamPort, Path dataDir, List<String> handleDomains,
                          String adminPassword, Path logFile, Duration timeout, List<String> loopbackHosts,
                          Path extraCaCertificates) {

        public Options {
            handleDomains = List.copyOf(handleDomains);
            loopbackHosts = loopbackHosts == null ? List.of() : List.copyOf(loopbackHosts);
        }

        public static Options inDir(Path dataDir) {
            return new Options(0, 0, 0, dataDir, List.of(".coves.test"), null,
                    Path.of("target", "local-stack", "pds-stack.log"), Duration.ofSeconds(90), List.of(), null);
        }

        public Options withLogFile(Path file) {
            return new Options(plcPort, pdsPort, jetstreamPort, dataDir, handleDomains, adminPassword, file, timeout,
                    loopbackHosts, extraCaCertificates);
        }

        public Options withHandleDomains(List<String> domains) {
            return new Options(plcPort, pdsPort, jetstreamPort, dataDir, domains, adminPassword, logFile, timeout,
                    loopbackHosts, extraCaCertificates);
        }

        public Options withPorts(int plc, int pds, int jetstream) {
            return new Options(plc, pds, jetstream, dataDir, handleDomains, adminPassword, logFile, timeout,
                    loopbackHosts, extraCaCertificates);
        }

        /** Test only: these exact host names resolve to 127.0.0.1 inside the stack's process. */
        public Options withLoopbackHosts(List<String> hosts) {
            return new Options(plcPort, pdsPort, jetstreamPort, dataDir, handleDomains, adminPassword, logFile, timeout,
                    hosts, extraCaCertificates);
        }

        /** Test only: the stack's process also trusts the certificates of this PEM file (null = none). */
        public Options withExtraCaCertificates(Path pem) {
            return new Options(plcPort, pdsPort, jetstreamPort, dataDir, handleDomains, adminPassword, logFile, timeout,
                    loopbackHosts, pem);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(15);
    private static boolean installed;

    private final Process process;
    private final Endpoints endpoints;
    private final Path logFile;

    private PdsStack(Process process, Endpoints endpoints, Path logFile) {
        this.process = process;
        this.endpoints = endpoints;
        this.logFile = logFile;
    }

    public static PdsStack start(Options options) {
        Path dir = packageDir();
        ensureInstalled(dir);
        List<String> command = new ArrayList<>(List.of(node(), dir.resolve("stack.mjs").toString(),
                "--plc-port=" + options.plcPort(),
                "--pds-port=" + options.pdsPort(),
                "--jetstream-port=" + options.jetstreamPort(),
                "--data-dir=" + options.dataDir().toAbsolutePath(),
                "--handle-domains=" + String.join(",", options.handleDomains()),
                "--exit-with-parent"));
        if (options.adminPassword() != null) {
            command.add("--admin-password=" + options.adminPassword());
        }
        if (!options.loopbackHosts().isEmpty()) {
            command.add("--loopback-hosts=" + String.join(",", options.loopbackHosts()));
        }
        Path log = options.logFile().toAbsolutePath();
        Process process = null;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            if (options.extraCaCertificates() != null) {
                Path pem = options.extraCaCertificates().toAbsolutePath();
                if (!Files.isReadable(pem)) {
                    throw new IllegalStateException("extra CA certificates " + pem + " are not readable");
                }
                builder.environment().put("NODE_EXTRA_CA_CERTS", pem.toString());
            }
            process = builder.start();
            String value = ChildProcesses.awaitReady(process, "the PDS stack", log, options.timeout());
            return new PdsStack(process, parse(value), log);
        } catch (Exception e) {
            if (process != null) {
                process.destroyForcibly();
            }
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("could not start the PDS stack (" + String.join(" ", command) + "; log: "
                    + log + "): " + cause, cause);
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, Duration.ofSeconds(15)); // SIGTERM: the stack stops its servers and exits
    }

    @Override
    public String toString() {
        return "PdsStack" + endpoints;
    }

    static Endpoints parse(String readyJson) throws IOException {
        JsonNode n = JSON.readTree(readyJson);
        List<String> domains = new ArrayList<>();
        n.path("handleDomains").forEach(d -> domains.add(d.asText()));
        return new Endpoints(n.path("plc").asText(), n.path("pds").asText(), n.path("jetstream").asText(),
                n.path("adminPassword").asText(), List.copyOf(domains));
    }

    /** The {@code local-stack/pds} folder: {@code coves.pds.dir}, else found walking up from the working directory. */
    public static Path packageDir() {
        String configured = System.getProperty("coves.pds.dir", System.getenv("COVES_PDS_DIR"));
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath();
            if (!Files.isRegularFile(dir.resolve("stack.mjs"))) {
                throw new IllegalStateException("coves.pds.dir=" + dir + " has no stack.mjs");
            }
            return dir;
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("local-stack").resolve("pds");
            if (Files.isRegularFile(candidate.resolve("stack.mjs"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find local-stack/pds/stack.mjs above " + Path.of("").toAbsolutePath()
                + "; set -Dcoves.pds.dir=/path/to/local-stack/pds");
    }

    /**
     * Runs {@code npm ci} in {@code dir} unless its {@code node_modules} is at least as new as its lock file. Once per
     * JVM, and under a file lock so that test JVMs of several modules do not install at the same time.
     */
    public static synchronized void ensureInstalled(Path dir) {
        if (installed) {
            return;
        }
        Path lockFile = dir.resolve(".npm-ci.lock");
        try (FileChannel channel = new RandomAccessFile(lockFile.toFile(), "rw").getChannel();
             FileLock ignored = channel.lock()) {
            if (!upToDate(dir)) {
                npmCi(dir);
            }
            installed = true;
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + lockFile + ": " + e, e);
        }
    }

    private static boolean upToDate(Path dir) throws IOException {
        Path installedLock = dir.resolve("node_modules").resolve(".package-lock.json");
        return Files.isRegularFile(installedLock)
                && Files.getLastModifiedTime(installedLock).compareTo(Files.getLastModifiedTime(dir.resolve("package-lock.json"))) >= 0;
    }

    private static void npmCi(Path dir) {
        Path log = dir.resolve("npm-ci.log");
        List<String> command = List.of(npm(), "ci", "--no-audit", "--no-fund");
        try {
            Process npm = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            npm.getOutputStream().close();
            if (!npm.waitFor(NPM_CI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci in " + dir + " did not finish within " + NPM_CI_TIMEOUT + "; see " + log);
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed with exit code " + npm.exitValue()
                        + "; see " + log + " (the PDS stack needs Node 20+ and the npm registry)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run npm in " + dir + " (is Node.js with npm installed?): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while npm ci ran in " + dir, e);
        }
    }

    /** The node command: {@code -Dcoves.node}, else {@code COVES_NODE}, else {@code node} on the PATH. */
    public static String node() {
        return System.getProperty("coves.node", System.getenv().getOrDefault("COVES_NODE", "node"));
    }

    private static String npm() {
        return System.getProperty("coves.npm", System.getenv().getOrDefault("COVES_NPM", "npm"));
    }
}
