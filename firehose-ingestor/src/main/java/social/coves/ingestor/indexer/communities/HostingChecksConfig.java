package social.coves.ingestor.indexer.communities;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import social.coves.ingestor.indexer.identity.IdentityCheckSettings;

import java.time.Duration;

/** {@code coves.indexer.hosting.*}: the hostedBy verification job (firehose-ingestor README, "Config keys"). */
@ConfigMapping(prefix = "coves.indexer.hosting")
public interface HostingChecksConfig extends IdentityCheckSettings {

    @Override
    @WithDefault("PT5S")
    Duration interval();

    @Override
    @WithDefault("50")
    int batchSize();

    @Override
    @WithDefault("10")
    double perSecond();
}
