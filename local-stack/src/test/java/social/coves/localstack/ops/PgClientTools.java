package social.coves.localstack.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds pg_dump, pg_restore and psql of one major version: {@code PG_BIN}, then {@code /usr/lib/postgresql/N/bin}
 * (Debian's postgresql-client-N), then PATH. pg_dump refuses a newer server, and the runbook wants client major =
 * server major, so nothing else qualifies.
 */
final class PgClientTools {

    private PgClientTools() {
    }

    static Optional<Path> forMajor(int major) throws Exception {
        List<Path> candidates = new ArrayList<>();
        if (System.getenv("PG_BIN") != null) {
            candidates.add(Path.of(System.getenv("PG_BIN")));
        }
        candidates.add(Path.of("/usr/lib/postgresql", String.valueOf(major), "bin"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir));
            }
        }
        for (Path dir : candidates) {
            if (Stream.of("pg_dump", "pg_restore", "psql").allMatch(t -> Files.isExecutable(dir.resolve(t)))
                    && majorOf(dir.resolve("pg_dump")) == major) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** {@code pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)} → 15; -1 when it does not run. */
    static int majorOf(Path tool) throws Exception {
        Process p = new ProcessBuilder(tool.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            return -1;
        }
        var m = java.util.regex.Pattern.compile("\\) (\\d+)").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
