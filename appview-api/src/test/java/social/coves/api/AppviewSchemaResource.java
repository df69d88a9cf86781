package social.coves.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.flywaydb.core.Flyway;
import social.coves.localstack.testing.SharedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Applies the indexer's Flyway migrations (the schema the API reads) to the shared test PostgreSQL. */
public class AppviewSchemaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Path migrations = Path.of(System.getProperty("coves.migrations.dir", "../firehose-ingestor/src/main/resources/db/migration"));
        if (!Files.isDirectory(migrations)) {
            throw new IllegalStateException("indexer migrations not found at " + migrations.toAbsolutePath());
        }
        SharedPostgres.Connection pg = SharedPostgres.connection();
        Flyway.configure()
                .dataSource(pg.jdbcUrl(), pg.user(), pg.password())
                .schemas("appview").defaultSchema("appview")
                .locations("filesystem:" + migrations.toAbsolutePath())
                .load().migrate();
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
