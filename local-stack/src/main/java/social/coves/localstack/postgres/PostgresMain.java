package social.coves.localstack.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import social.coves.localstack.LaunchArgs;
import social.coves.localstack.ReadyLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A real PostgreSQL 17 server from zonky's embedded binaries (works as root: zonky runs it in a user namespace).
 * Creates the database {@code --database} (default {@code coves}) and announces its JDBC URL.
 *
 * <pre>--port=55432 --data-dir=.local/pg [--fresh] [--database=coves] [--json-log-dir=DIR]   (port 0 = any free port)</pre>
 *
 * <p>{@code --json-log-dir}: the server's log as JSON lines in {@code DIR/postgres.json} (one file, never rotated), so
 * that a benchmark can switch {@code log_statement} on for a while and read back the statements with their parameters.
 */
public final class PostgresMain {

    public static void main(String[] argv) throws Exception {
        LaunchArgs args = LaunchArgs.parse(argv);
        Path dataDir = args.path("data-dir");
        boolean fresh = args.flag("fresh");
        Files.createDirectories(dataDir.getParent());
        String database = args.string("database", "coves");

        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(fresh)
                .setServerConfig("fsync", args.string("fsync", "off"))
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "200")
                // server-side statement profile for the benchmarks (ReplayBenchmark prints it); negligible cost
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("shared_buffers", args.string("shared-buffers", "256MB"));
        String jsonLogDir = args.string("json-log-dir", "");
        if (!jsonLogDir.isEmpty()) {
            Files.createDirectories(Path.of(jsonLogDir));
            builder.setServerConfig("logging_collector", "on")
                    .setServerConfig("log_destination", "jsonlog")
                    .setServerConfig("log_directory", Path.of(jsonLogDir).toAbsolutePath().toString())
                    .setServerConfig("log_filename", "postgres")
                    .setServerConfig("log_rotation_size", "0")
                    .setServerConfig("log_rotation_age", "0");
        }
        int port = args.intValue("port", 0);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres pg = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("postgres shutdown: " + e);
            }
        }, "postgres-shutdown"));
        createDatabaseIfMissing(pg, database);
        args.exitWithParentIfAsked();
        ReadyLine.announce("jdbc:postgresql://localhost:" + pg.getPort() + "/" + database);
        Thread.currentThread().join();
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres pg, String database) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "") + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
        }
    }
}
