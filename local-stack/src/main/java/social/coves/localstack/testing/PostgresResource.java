package social.coves.localstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Quarkus test resource: a real PostgreSQL server (see {@link SharedPostgres}), as reactive and JDBC URLs. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        return Map.of(
                "quarkus.datasource.username", pg.user(),
                "quarkus.datasource.password", pg.password(),
                "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.jdbc.url", pg.jdbcUrl());
    }

    @Override
    public void stop() {
        // JVM-wide server; a shutdown hook stops it
    }
}
