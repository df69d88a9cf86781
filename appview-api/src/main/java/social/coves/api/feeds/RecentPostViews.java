package social.coves.api.feeds;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import social.coves.api.metrics.CacheMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import social.coves.api.images.ImageUrls;
import social.coves.api.posts.PostRows;
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
 * instead of once per timeline, and serialised once: a page's items without viewer state are copied into the response
 * as they are. Counts and edits reach timelines within about a ttl. A post that is no longer listable
 * (deleted, account hidden) is remembered as absent as long. With a ttl of 0 every page reads its posts.
 *
 * <p>Config: {@code coves.api.timeline.ttl} (default {@code PT1S}), {@code coves.api.timeline.posts-max} (posts kept,
 * default 20,000; a post view is one to two KB).
 */
@ApplicationScoped
public class RecentPostViews {

    private static final String POSTS_BY_URI = "SELECT " + PostRows.COLUMNS + PostRows.FROM + " AND p.uri = ANY($1)";

    private final Pool pool;
    private final ImageUrls images;
    private final ObjectMapper json;
    private final AsyncLoadingCache<String, Optional<FeedPage.Item>> recent;

    @Inject
    public RecentPostViews(Pool pool, ImageUrls images, ObjectMapper json, MeterRegistry metrics,
                           @ConfigProperty(name = "coves.api.timeline.ttl", defaultValue = "PT1S") Duration ttl,
                           @ConfigProperty(name = "coves.api.timeline.posts-max", defaultValue = "20000") long max) {
        this.pool = pool;
        this.images = images;
        this.json = json;
        this.recent = CacheMetrics.monitor(metrics, "timeline_post_views", ttl.isPositive() && max > 0
                ? Caffeine.newBuilder().recordStats().refreshAfterWrite(ttl).expireAfterWrite(ttl.multipliedBy(2)).maximumSize(max)
                        .buildAsync(new CoalescingBulkLoader<String, Optional<FeedPage.Item>>(Duration.ofMillis(5), this::load,
                                (current, fresh) -> fresh.map(FeedPage.Item::post).equals(current.map(FeedPage.Item::post)) ? current : fresh))
                : null);
    }

    /** The listable posts among {@code uris}, by URI, as feed items without viewer state (serialised once while cached). */
    Uni<Map<String, FeedPage.Item>> of(List<String> uris) {
        if (recent == null) {
            return read(uris).map(found -> {
                Map<String, FeedPage.Item> items = new HashMap<>();
                found.forEach((uri, view) -> items.put(uri, new FeedPage.Item(view)));
                return items;
            });
        }
        return CallerContext.await(recent.getAll(uris)).map(byUri -> {
            Map<String, FeedPage.Item> found = new HashMap<>();
            byUri.forEach((uri, item) -> item.ifPresent(i -> found.put(uri, i)));
            return found;
        });
    }

    /** Every one of these posts, absent when it is not listable: what the cache keeps. */
    private CompletableFuture<Map<String, Optional<FeedPage.Item>>> load(Set<String> uris) {
        return read(List.copyOf(uris)).map(found -> {
            Map<String, Optional<FeedPage.Item>> all = new HashMap<>();
            uris.forEach(uri -> all.put(uri, Optional.ofNullable(found.get(uri)).map(this::rendered)));
            return all;
        }).subscribeAsCompletionStage();
    }

    private FeedPage.Item rendered(PostView view) {
        try {
            return new FeedPage.Item(view, new SerializedString(json.writeValueAsString(view)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + view.uri(), e);
        }
    }

    private Uni<Map<String, PostView>> read(List<String> uris) {
        return pool.preparedQuery(POSTS_BY_URI).execute(Tuple.of(uris.toArray(String[]::new))).map(rows -> {
            Map<String, PostView> byUri = new HashMap<>();
            rows.forEach(r -> byUri.put(r.getString("uri"), PostRows.view(r, images)));
            return byUri;
        });
    }
}
