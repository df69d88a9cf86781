package social.coves.api.comments;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.changes.IndexCacheConfig;
import social.coves.api.changes.IndexChanges;
import social.coves.api.changes.UntilChangedCache;
import social.coves.api.feeds.FeedSort;
import social.coves.api.feeds.Timeframe;
import social.coves.api.posts.PostView;

import java.util.List;
import java.util.function.Function;

/**
 * Thread pages without viewer state, kept until a comment of the thread, a post of its community (the thread's post
 * among them) or an author shown changes ({@link UntilChangedCache}): the readers of a busy thread between two of the
 * indexer's commits share one read. The viewer's votes and own recent comments are laid over a copy per request.
 * Cache {@code thread_pages}; size {@link IndexCacheConfig#threadPages()}.
 */
@ApplicationScoped
public class ThreadPages {

    /** One page: the cursor as sent ({@code ""} for the first page). */
    record Key(String postUri, FeedSort sort, Timeframe timeframe, int depth, int limit, String cursor) {
    }

    /** The thread's post, its top-level comments with their replies (never changed once kept), the cursor after them. */
    record Page<N>(PostView post, List<N> top, String next) {
    }

    private final UntilChangedCache<Key, Page<?>> pages;

    public ThreadPages(IndexCacheConfig config, IndexChanges changes, MeterRegistry metrics) {
        this.pages = new UntilChangedCache<>("thread_pages", config.threadPages(), config, changes, metrics,
                page -> List.of(IndexChanges.thread(page.post().uri()), IndexChanges.community(page.post().community().did())));
    }

    @SuppressWarnings("unchecked")
    <N> Uni<Page<N>> get(Key key, Function<Key, Uni<Page<N>>> read) {
        return pages.get(key, k -> read.apply(k).map(p -> (Page<?>) p)).map(p -> (Page<N>) p);
    }
}
