package social.coves.ingestor.indexer.identity;

import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;

/**
 * The settings both identity checks of the indexer share (under {@code coves.indexer.hosting.*} and
 * {@code coves.indexer.handles.*}); each job's mapping gives its own pace ({@code interval}, {@code batch-size},
 * {@code per-second}).
 */
public interface IdentityCheckSettings {

    @WithDefault("true")
    boolean enabled();

    Duration interval();

    int batchSize();

    double perSecond();

    /** Per HTTP call to identity-service. */
    @WithDefault("PT2S")
    Duration connectTimeout();

    @WithDefault("PT10S")
    Duration timeout();

    /** Back-off after a check without an answer, doubling per attempt up to retry-max. */
    @WithDefault("PT30S")
    Duration retryMin();

    @WithDefault("PT30M")
    Duration retryMax();

    /** Answered checks are made again after this. */
    @WithDefault("P1D")
    Duration recheckAfter();

    default VerificationRounds rounds() {
        return new VerificationRounds(interval(), batchSize(), perSecond(), timeout(), retryMin(), retryMax());
    }

    default IdentityServiceClient client(URI identityService) {
        return new IdentityServiceClient(identityService, connectTimeout(), timeout());
    }
}
