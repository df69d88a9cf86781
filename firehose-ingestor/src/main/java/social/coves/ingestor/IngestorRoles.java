package social.coves.ingestor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Which roles this process runs: {@code jetstream} (WebSocket to Kafka; run exactly one) and/or {@code indexer}
 * (Kafka to Postgres; scale up to the partition count). Env: {@code COVES_INGESTOR_JETSTREAM_ENABLED},
 * {@code COVES_INGESTOR_INDEXER_ENABLED}. The indexer's Kafka channels follow the second key. A third, one-shot role
 * rebuilds the projections and exits; a fourth exports the topics to Iceberg tables for analysts.
 */
@ConfigMapping(prefix = "coves.ingestor")
public interface IngestorRoles {

    @WithName("jetstream.enabled")
    @WithDefault("true")
    boolean jetstream();

    @WithName("indexer.enabled")
    @WithDefault("true")
    boolean indexer();

    /**
     * Rebuild the projections from offset 0 into an empty schema, then exit ({@code ProjectionRebuildCommand}); runs
     * alone, with both other roles off. Env {@code COVES_INGESTOR_REBUILD_ENABLED}.
     */
    @WithName("rebuild.enabled")
    @WithDefault("false")
    boolean rebuild();

    /**
     * Export the topics to Iceberg tables of Parquet files ({@code social.coves.ingestor.export}, docs/analytics.md);
     * runs alone. Env {@code COVES_INGESTOR_EXPORT_ENABLED}.
     */
    @WithName("export.enabled")
    @WithDefault("false")
    boolean export();

    /**
     * Publish the indexer's set-aside records ({@code appview.index_rejects}) again after a fix, then exit
     * ({@code indexer.rejects.RedriveCommand}, docs/runbooks/index-rejects.md); runs alone. Env
     * {@code COVES_INGESTOR_REDRIVE_ENABLED}.
     */
    @WithName("redrive.enabled")
    @WithDefault("false")
    boolean redrive();
}
