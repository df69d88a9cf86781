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

    /**
     * Community feed pages kept (viewer-less: a viewer's votes are laid over them per request): a page of 15 posts
     * holds their views and their JSON, up to about 60 KB.
     */
    @WithDefault("1000")
    long communityFeedPages();

    /**
     * Thread pages kept (viewer-less: a viewer's votes and own recent comments are laid over a copy per request): up to
     * about 150 KB for 50 comments with their replies.
     */
    @WithDefault("300")
    long threadPages();

    /**
     * Communities kept for {@code community.get} (about 2 KB each), and as many communities' DIDs for the check every
     * feed and listing naming a community makes first (cache {@code community_dids}).
     */
    @WithDefault("5000")
    long communities();

    /** Accounts known to the index, kept for the check author listings make first (cache {@code known_actors}; ~150 B each). */
    @WithDefault("20000")
    long knownActors();

    /** Pages of {@code community.list} kept (viewer-less; up to about 50 KB for 50 communities). */
    @WithDefault("200")
    long communityListings();

    /** Viewers whose votes are remembered until they change ({@code ViewerVotes}; up to 200 subjects each, ~150 B per subject). */
    @WithDefault("3000")
    long viewerVotes();

    /** Viewers whose subscriptions are remembered until they change ({@code ViewerSubscriptions}, timelines; ~100 B per subscription). */
    @WithDefault("5000")
    long viewerSubscriptions();
}
