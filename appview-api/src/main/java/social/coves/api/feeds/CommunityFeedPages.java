package social.coves.api.feeds;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.changes.IndexCacheConfig;
import social.coves.api.changes.IndexChanges;
import social.coves.api.changes.UntilChangedCache;
import social.coves.api.hydration.HydratedPost;

import java.util.List;
import java.util.function.Function;

/**
 * Community feed pages without viewer state, kept until a post of the community, the community itself or an author
 * shown changes ({@link UntilChangedCache}): readers of a popular community between two of the indexer's commits share
 * one read. A viewer's votes are laid over a kept page on each request ({@code PostHydrator#withViewer}).
 * Cache {@code community_feed_pages}; size {@link IndexCacheConfig#communityFeedPages()}.
 */
@ApplicationScoped
public class CommunityFeedPages {

    /** One page: the cursor as sent ({@code ""} for the first page). */
    record Key(String communityDid, FeedSort sort, Timeframe timeframe, int limit, String cursor) {
    }

    /** A page's posts without viewer state (serialised once) and the cursor after it. */
    record Page(String communityDid, List<HydratedPost> posts, String next) {
    }

    private final UntilChangedCache<Key, Page> pages;

    public CommunityFeedPages(IndexCacheConfig config, IndexChanges changes, MeterRegistry metrics) {
        this.pages = new UntilChangedCache<>("community_feed_pages", config.communityFeedPages(), config, changes, metrics,
                page -> List.of(IndexChanges.community(page.communityDid())));
    }

    Uni<Page> get(Key key, Function<Key, Uni<Page>> read) {
        return pages.get(key, read);
    }
}
