package social.coves.ingestor.export;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;

/** The export role's keys ({@code coves.export.*}); docs/analytics.md and the module README describe each. */
@ConfigMapping(prefix = "coves.export")
public interface ExportConfig {

    @WithDefault("warehouse")
    String warehouse();

    @WithDefault("coves")
    String namespace();

    @WithDefault("coves.repo-events.v1,coves.identity-events.v1")
    List<String> topics();

    @WithName("group-id")
    @WithDefault("coves-export")
    String groupId();

    @WithDefault("earliest")
    String from();

    /** {@code end}: stop at the end offsets seen at start; {@code follow}: keep exporting. */
    @WithDefault("end")
    String until();

    @WithName("batch-events")
    @WithDefault("100000")
    int batchEvents();

    @WithName("flush-interval")
    @WithDefault("PT1M")
    Duration flushInterval();

    @WithName("checkpoint-every")
    @WithDefault("10")
    int checkpointEvery();

    Catalog catalog();

    interface Catalog {
        @WithName("jdbc-url")
        @WithDefault("${quarkus.datasource.jdbc.url}")
        String jdbcUrl();

        @WithDefault("${quarkus.datasource.username}")
        String user();

        @WithDefault("${quarkus.datasource.password}")
        String password();

        @WithDefault("iceberg_catalog")
        String schema();
    }

    default ExportSettings settings(String bootstrapServers) {
        if (!until().equals("end") && !until().equals("follow")) {
            throw new IllegalArgumentException("coves.export.until must be end or follow, not " + until());
        }
        return new ExportSettings(bootstrapServers, topics(), groupId(), warehouse(),
                new ExportSettings.CatalogDatabase(catalog().jdbcUrl(), catalog().user(), catalog().password(), catalog().schema()),
                namespace(), ExportSettings.StartFrom.parse(from()), until().equals("follow"), batchEvents(), flushInterval(),
                checkpointEvery());
    }
}
