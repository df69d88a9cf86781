package social.coves.api.support;

import social.coves.localstack.testing.SharedPdsStack;
import social.coves.localstack.testing.SharedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The packaged firehose-ingestor in its jetstream role reading the local-stack PDS's Jetstream-compatible feed, one
 * per test JVM; with {@link RunningIndexer} (the indexer role on the same Kafka) it closes the real write path:
 * PDS → feed → ingestor → Kafka → indexer → PostgreSQL.
 */
public final class PdsFeedIngestor {

    private static PackagedIngestor instance;

    private PdsFeedIngestor() {
    }

    public static synchronized void ensureRunning() {
        RunningIndexer.get();
        if (instance == null) {
            try {
                Path log = Path.of("target", "test-pds-feed-ingestor.log");
                Files.deleteIfExists(log);
                instance = PackagedIngestor.start(SharedPostgres.connection(), Map.of(
                        "COVES_INGESTOR_JETSTREAM_ENABLED", "true",
                        "COVES_INGESTOR_INDEXER_ENABLED", "false",
                        "COVES_JETSTREAM_URL", SharedPdsStack.endpoints().jetstreamUrl()), Map.of(), "-Xmx256m", log);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the jetstream role; see target/test-pds-feed-ingestor.log", e);
            }
        }
    }
}
