package social.coves.api.feeds;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * instead of once per timeline. Counts and edits reach timelines within about a ttl. A post that is no longer listable
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
    private final AsyncLoadingCache<String, Optional<PostView>> recent;

    @Inject
    public RecentPostViews(Pool pool, ImageUrls images,
                           @ConfigProperty(name = "coves.api.timeline.ttl", defaultValue = "PT1S") Duration ttl,
                           @ConfigProperty(name = "coves.api.timeline.posts-max", defaultValue = "20000") long max) {
        this.pool = pool;
        this.images = images;
        this.recent = ttl.isPositive() && max > 0
                ? Caffeine.newBuilder().refreshAfterWrite(ttl).expireAfterWrite(ttl.multipliedBy(2)).maximumSize(max)
                        .buildAsync(new CoalescingBulkLoader<String, Optional<PostView>>(Duration.ofMillis(5), this::load,
                                (current, fresh) -> fresh.equals(current) ? current : fresh))
                : null;
    }

    /** The listable posts among {@code uris}, by URI. */
    Uni<Map<String, PostView>> of(List<String> uris) {
        if (recent == null) {
            return read(uris);
        }
        return CallerContext.await(recent.getAll(uris)).map(byUri -> {
            Map<String, PostView> found = new HashMap<>();
            byUri.forEach((uri, view) -> view.ifPresent(v -> found.put(uri, v)));
            return found;
        });
    }

    /** Every one of these posts, absent when it is not listable: what the cache keeps. */
    private CompletableFuture<Map<String, Optional<PostView>>> load(Set<String> uris) {
        return read(List.copyOf(uris)).map(found -> {
            Map<String, Optional<PostView>> all = new HashMap<>();
            uris.forEach(uri -> all.put(uri, Optional.ofNullable(found.get(uri))));
            return all;
        }).subscribeAsCompletionStage();
    }

    private Uni<Map<String, PostView>> read(List<String> uris) {
        return pool.preparedQuery(POSTS_BY_URI).execute(Tuple.of(uris.toArray(String[]::new))).map(rows -> {
            Map<String, PostView> byUri = new HashMap<>();
            rows.forEach(r -> byUri.put(r.getString("uri"), PostRows.view(r, images)));
            return byUri;
        });
    }
}
