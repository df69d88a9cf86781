package social.coves.ingestor.indexer.actors;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import social.coves.ingestor.indexer.identity.IdentityCheckSettings;

import java.time.Duration;

/** {@code coves.indexer.handles.*}: the handle verification job (firehose-ingestor README, "Config keys"). */
@ConfigMapping(prefix = "coves.indexer.handles")
public interface HandleChecksConfig extends IdentityCheckSettings {

    @Override
    @WithDefault("PT2S")
    Duration interval();

    @Override
    @WithDefault("100")
    int batchSize();

    @Override
    @WithDefault("50")
    double perSecond();
}
