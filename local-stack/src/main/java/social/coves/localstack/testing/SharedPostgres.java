package social.coves.localstack.testing;

import social.coves.localstack.ChildJvm;
import social.coves.localstack.postgres.PostgresMain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One real PostgreSQL server per test JVM, shared by every test class; stopped when the JVM exits. With the system
 * property {@code coves.postgres.json-log-dir} the server logs as JSON lines into that folder (benchmarks that read back
 * the statements an application sent).
 */
public final class SharedPostgres {

    /** How to reach the server; user {@code postgres} with any password when embedded. */
    public record Connection(String host, int port, String database, String user, String password) {
        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public String reactiveUrl() {
            return "postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private static Connection connection;

    private SharedPostgres() {
    }

    public static synchronized Connection connection() {
        if (connection == null) {
            connection = Infra.useDocker() ? startContainer() : startChildJvm();
        }
        return connection;
    }

    private static Connection startContainer() {
        var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:17-alpine").withDatabaseName("coves")
                .withCommand("postgres", "-c", "shared_preload_libraries=pg_stat_statements");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return new Connection(container.getHost(), container.getFirstMappedPort(), "coves", container.getUsername(), container.getPassword());
    }

    private static Connection startChildJvm() {
        try {
            Path dir = Files.createTempDirectory("coves-pg-");
            ChildJvm pg = ChildJvm.start("postgres", PostgresMain.class,
                    args(dir),
                    Path.of("target", "local-stack", "postgres.log"), Duration.ofSeconds(90));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pg.close();
                deleteQuietly(dir);
            }));
            String url = pg.readyValue();   // jdbc:postgresql://localhost:<port>/coves
            int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/.*", "$1"));
            return new Connection("localhost", port, "coves", "postgres", "postgres");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> args(Path dir) {
        List<String> args = new java.util.ArrayList<>(List.of("--data-dir=" + dir.resolve("data"), "--fresh", "--database=coves"));
        String jsonLogDir = System.getProperty("coves.postgres.json-log-dir", "");
        if (!jsonLogDir.isEmpty()) {
            args.add("--json-log-dir=" + Path.of(jsonLogDir).toAbsolutePath());
        }
        return args;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // temp dir; best effort
        }
    }
}
