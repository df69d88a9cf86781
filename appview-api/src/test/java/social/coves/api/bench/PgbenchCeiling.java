package social.coves.api.bench;

import social.coves.localstack.testing.SharedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The database's own ceiling for a query the API sends: pgbench runs the same SQL (prepared, same connection count
 * as the API's pool) against the same PostgreSQL in the same run, and reports transactions/s and latency
 * percentiles from its per-transaction log. Needs a {@code pgbench} binary (Debian {@code postgresql-client-NN}).
 */
final class PgbenchCeiling {

    private PgbenchCeiling() {
    }

    static Path binary() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(Path.of(dir, "pgbench"));
        }
        try (Stream<Path> versions = Files.isDirectory(Path.of("/usr/lib/postgresql")) ? Files.list(Path.of("/usr/lib/postgresql")) : Stream.empty()) {
            versions.map(v -> v.resolve("bin/pgbench")).forEach(candidates::add);
        } catch (Exception ignored) {
            // no packaged PostgreSQL clients
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    static LoadDriver.Result run(String name, String sql, int connections, Duration duration) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "bench", "pgbench", name.replaceAll("[^a-zA-Z0-9]+", "-")));
        try (Stream<Path> old = Files.list(dir)) {
            old.forEach(p -> p.toFile().delete());
        }
        Path script = Files.writeString(dir.resolve("query.sql"), sql + ";\n");
        return runScripts(name, List.of(script.toString()), connections, duration, dir.resolve("tx"));
    }

    /**
     * pgbench over {@code scripts} (file paths, each optionally {@code @weight}), prepared, for {@code duration}; latency
     * percentiles from its per-transaction log written under {@code logPrefix}. Fails when pgbench does, or when a
     * client aborted or a transaction failed.
     */
    static LoadDriver.Result runScripts(String name, List<String> scripts, int connections, Duration duration, Path logPrefix)
            throws Exception {
        Path pgbench = binary();
        SharedPostgres.Connection pg = SharedPostgres.connection();
        Path dir = logPrefix.getParent();
        List<String> command = new ArrayList<>(List.of(pgbench.toString(), "-n", "-M", "prepared", "-c", String.valueOf(connections),
                "-j", "2", "-T", String.valueOf(Math.max(1, duration.toSeconds())), "-l", "--log-prefix=" + logPrefix));
        for (String script : scripts) {
            command.addAll(List.of("-f", script));
        }
        command.addAll(List.of("-h", pg.host(), "-p", String.valueOf(pg.port()), "-U", pg.user(), pg.database()));
        Path output = dir.resolve(logPrefix.getFileName() + ".out");
        ProcessBuilder process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        process.environment().put("PGPASSWORD", pg.password());
        int exit = process.start().waitFor();
        String out = Files.readString(output);
        if (exit != 0 || out.contains("aborted") || out.matches("(?s).*number of failed transactions: [1-9].*")) {
            throw new IllegalStateException("pgbench failed (" + exit + "): " + out);
        }
        List<Long> micros = new ArrayList<>();
        String prefix = logPrefix.getFileName().toString();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith(prefix + ".")
                    && !p.getFileName().toString().endsWith(".out")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    micros.add(Long.parseLong(line.split(" ")[2]));
                }
            }
        }
        micros.sort(null);
        int n = micros.size();
        return new LoadDriver.Result(name + " [pgbench]", connections, n, 0, Math.max(1, duration.toSeconds()),
                n == 0 ? 0 : micros.get(n / 2) / 1000.0, n == 0 ? 0 : micros.get(Math.min(n - 1, (int) (n * 0.99))) / 1000.0,
                n == 0 ? 0 : micros.get(n - 1) / 1000.0);
    }
}
