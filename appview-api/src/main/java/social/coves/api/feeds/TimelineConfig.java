package social.coves.api.feeds;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code coves.api.timeline.*}: how long the timeline's shared community heads and post views live, and how many are kept. */
@ConfigMapping(prefix = "coves.api.timeline")
public interface TimelineConfig {

    /** How stale a timeline may be: heads and post views are refreshed once older; {@code PT0S} keeps neither. */
    @WithDefault("PT1S")
    Duration ttl();

    /** Posts per community head. */
    @WithDefault("50")
    int headSize();

    /** Posts kept over all heads (about 50 MB by default: 4,000 heads of 50). */
    @WithDefault("200000")
    long headPostsMax();

    /** Post views kept (a post view is one to two KB). */
    @WithDefault("20000")
    long postsMax();
}
