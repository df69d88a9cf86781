package social.coves.api.changes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * {@code coves.api.index-caches.*}: answers kept until the index under them changes ({@link UntilChangedCache}).
 */
@ConfigMapping(prefix = "coves.api.index-caches")
public interface IndexCacheConfig {

    /** Off: every answer is read from the index (nothing is kept, no notices are needed). */
    @WithDefault("true")
    boolean enabled();

    /**
     * The longest an answer is kept even when nothing under it changes: what moves without a write (the window of a
     * {@code top} feed over a day or a week slides) moves this late at most.
     */
    @WithDefault("PT30S")
    Duration maxAge();

    /** Community feed pages kept (viewer-less: a viewer's votes are laid over them per request); one to thirty KB each. */
    @WithDefault("20000")
    long communityFeedPages();

    /** Thread pages kept (viewer-less: a viewer's votes and own recent comments are laid over a copy per request). */
    @WithDefault("5000")
    long threadPages();

    /** Communities kept for {@code community.get}, and pages of {@code community.list} (viewer-less). */
    @WithDefault("20000")
    long communities();

    /** Viewers whose votes are remembered until they change ({@code ViewerVotes}). */
    @WithDefault("50000")
    long viewerVotes();

    /** Viewers whose subscriptions are remembered until they change ({@code ViewerSubscriptions}, timelines). */
    @WithDefault("50000")
    long viewerSubscriptions();
}
