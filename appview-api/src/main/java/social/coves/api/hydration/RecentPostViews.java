package social.coves.api.hydration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.feeds.CoalescingBulkLoader;
import social.coves.api.feeds.TimelineConfig;
import social.coves.api.metrics.CacheMetrics;
import social.coves.api.posts.PostView;
import social.coves.api.xrpc.CallerContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The posts of timeline pages, without viewer state, refreshed like the community heads
 * ({@code coves.api.timeline.ttl}: in the background once older than the ttl, dropped when unread for twice that):
 * viewers subscribed to the same communities see the same posts, and each is read and mapped about once per ttl
 * instead of once per timeline, and serialised once: a page's posts without viewer state are copied into the response
 * as they are. Counts and edits reach timelines within about a ttl. A post that is no longer listable
 * (deleted, account hidden) is remembered as absent as long. With a ttl of 0 every page reads its posts.
 *
 * <p>Config: {@link TimelineConfig#ttl()}, {@link TimelineConfig#postsMax()}.
 */
@ApplicationScoped
public class RecentPostViews {

    private final PostViewLoader loader;
    private final ObjectMapper json;
    private final AsyncLoadingCache<String, Optional<HydratedPost>> recent;

    public RecentPostViews(PostViewLoader loader, ObjectMapper json, MeterRegistry metrics, TimelineConfig config) {
        this.loader = loader;
        this.json = json;
        Duration ttl = config.ttl();
        this.recent = CacheMetrics.monitor(metrics, "timeline_post_views", ttl.isPositive() && config.postsMax() > 0
                ? Caffeine.newBuilder().recordStats().refreshAfterWrite(ttl).expireAfterWrite(ttl.multipliedBy(2)).maximumSize(config.postsMax())
                        .buildAsync(new CoalescingBulkLoader<String, Optional<HydratedPost>>(Duration.ofMillis(5), this::load,
                                (current, fresh) -> fresh.map(HydratedPost::view).equals(current.map(HydratedPost::view)) ? current : fresh))
                : null);
    }

    /** The listable posts among {@code uris}, by URI, without viewer state (serialised once while cached). */
    Uni<Map<String, HydratedPost>> of(List<String> uris) {
        if (recent == null) {
            return loader.load(uris, PostVisibility.LISTABLE).map(found -> {
                Map<String, HydratedPost> posts = new HashMap<>();
                found.forEach((uri, view) -> posts.put(uri, new HydratedPost(view)));
                return posts;
            });
        }
        return CallerContext.await(recent.getAll(uris)).map(byUri -> {
            Map<String, HydratedPost> found = new HashMap<>();
            byUri.forEach((uri, post) -> post.ifPresent(p -> found.put(uri, p)));
            return found;
        });
    }

    /** Every one of these posts, absent when it is not listable: what the cache keeps. */
    private CompletableFuture<Map<String, Optional<HydratedPost>>> load(Set<String> uris) {
        return loader.load(List.copyOf(uris), PostVisibility.LISTABLE).map(found -> {
            Map<String, Optional<HydratedPost>> all = new HashMap<>();
            uris.forEach(uri -> all.put(uri, Optional.ofNullable(found.get(uri)).map(this::rendered)));
            return all;
        }).subscribeAsCompletionStage();
    }

    private HydratedPost rendered(PostView view) {
        return HydratedPost.rendered(view, json);
    }
}
