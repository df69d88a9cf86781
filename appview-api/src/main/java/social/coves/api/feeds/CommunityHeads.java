package social.coves.api.feeds;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import social.coves.api.metrics.CacheMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import social.coves.api.xrpc.CallerContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The first posts of each community's feed, per sort (and timeframe for top), kept for a moment and shared by every
 * viewer's timeline: a timeline merges its subscriptions' heads in memory instead of walking one index per
 * subscription, so a thousand viewers subscribed to the same popular communities cost one walk per community and
 * sort per {@code ttl}, not fifty per request. Only the keys are kept; the page's posts come from
 * {@link social.coves.api.hydration.RecentPostViews}.
 *
 * <p>A head read when it is older than {@code ttl} is refreshed in the background (refreshes of many heads are loaded
 * together, {@link CoalescingBulkLoader}) while that read gets the current one, so no timeline waits for a refresh; a
 * head not read for {@code 2 × ttl} is dropped. A new post reaches timelines within about {@code ttl}, at worst
 * {@code 2 × ttl} (community feeds are unaffected). Heads of communities that get no timeline reads cost nothing.
 *
 * <p>Config: {@link TimelineConfig} ({@code PT0S} as the ttl turns heads off: every timeline walks its subscriptions in SQL).
 * Metric: {@code coves_api_timeline_heads_total{result=read|loaded}} (heads timelines read; heads loaded from SQL).
 */
@ApplicationScoped
public class CommunityHeads {

    /** One head: a community's feed for a sort (timeframe only for top; {@code ALL} otherwise). */
    record Key(String communityDid, FeedSort sort, Timeframe timeframe) {
        static Key of(String communityDid, FeedSort sort, Timeframe timeframe) {
            return new Key(communityDid, sort, sort == FeedSort.TOP ? timeframe : Timeframe.ALL);
        }
    }

    /** Up to {@code size} posts in feed order; {@code complete} when that is the community's whole feed. */
    record Head(List<FeedEntry> entries, boolean complete) {

        /** This head, with the entries equal to one of {@code older}'s taken from there (see {@link CoalescingBulkLoader}). */
        Head reusing(Head older) {
            if (equals(older)) {
                return older;
            }
            Map<String, FeedEntry> before = new HashMap<>();
            older.entries.forEach(e -> before.put(e.uri(), e));
            return new Head(entries.stream().map(e -> e.equals(before.get(e.uri())) ? before.get(e.uri()) : e).toList(), complete);
        }
    }

    private final Pool pool;
    private final Counter read;
    private final Counter loaded;
    private final int size;
    private final AsyncLoadingCache<Key, Head> heads;

    @Inject
    public CommunityHeads(Pool pool, MeterRegistry metrics, TimelineConfig config) {
        this.pool = pool;
        Duration ttl = config.ttl();
        int size = config.headSize();
        this.read = metrics.counter("coves_api_timeline_heads", "result", "read");
        this.loaded = metrics.counter("coves_api_timeline_heads", "result", "loaded");
        this.size = size;
        this.heads = CacheMetrics.monitor(metrics, "timeline_heads", ttl.isPositive() && size > 0
                ? Caffeine.newBuilder().recordStats().refreshAfterWrite(ttl).expireAfterWrite(ttl.multipliedBy(2)).maximumWeight(config.headPostsMax())
                        .<Key, Head>weigher((key, head) -> head.entries().size() + 1)
                        .buildAsync(new CoalescingBulkLoader<Key, Head>(Duration.ofMillis(5), this::load, (current, fresh) -> fresh.reusing(current)))
                : null);
    }

    boolean enabled() {
        return heads != null;
    }

    /**
     * The heads of these communities, in the same order, loading the missing ones in one statement. Heads already
     * cached are read one by one (no result map is built): a timeline reads fifty of them per request.
     */
    Uni<List<Head>> of(List<String> communityDids, FeedSort sort, Timeframe timeframe) {
        read.increment(communityDids.size());
        Head[] found = new Head[communityDids.size()];
        List<Key> missing = new ArrayList<>(0);
        for (int i = 0; i < found.length; i++) {
            Key key = Key.of(communityDids.get(i), sort, timeframe);
            CompletableFuture<Head> cached = heads.getIfPresent(key);
            if (cached != null && cached.state() == Future.State.SUCCESS) {
                found[i] = cached.resultNow();
            } else {
                missing.add(key);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(Arrays.asList(found));
        }
        return CallerContext.await(heads.getAll(missing)).map(byKey -> {
            for (int i = 0; i < found.length; i++) {
                if (found[i] == null) {
                    found[i] = byKey.get(Key.of(communityDids.get(i), sort, timeframe));
                }
            }
            return Arrays.asList(found);
        });
    }

    /** Heads of these communities; keys asked for together share one sort and timeframe (one timeline's), grouped anyway. */
    private CompletableFuture<Map<Key, Head>> load(Set<Key> keys) {
        Map<Key, List<Key>> bySort = keys.stream().collect(Collectors.groupingBy(k -> new Key(null, k.sort(), k.timeframe())));
        List<Uni<Map<Key, Head>>> loads = bySort.entrySet().stream()
                .map(group -> load(group.getValue(), group.getKey().sort(), group.getKey().timeframe())).toList();
        return Uni.join().all(loads).andFailFast().map(maps -> {
            Map<Key, Head> all = new HashMap<>();
            maps.forEach(all::putAll);
            return all;
        }).subscribeAsCompletionStage();
    }

    private Uni<Map<Key, Head>> load(List<Key> keys, FeedSort sort, Timeframe timeframe) {
        loaded.increment(keys.size());
        List<TimelineMerge.Subscription> all = keys.stream().map(k -> new TimelineMerge.Subscription(k.communityDid(), 5)).toList();
        var sql = TimelineWalks.sql(all, sort, timeframe, null, size);
        Map<String, String> dids = new HashMap<>(); // the keys' own strings, so a head's entries share one DID object
        keys.forEach(k -> dids.put(k.communityDid(), k.communityDid()));
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).map(rows -> {
            Map<String, List<FeedEntry>> byCommunity = new HashMap<>();
            for (Row r : rows) {
                FeedEntry e = FeedEntry.of(r, dids.get(r.getString("community_did")));
                byCommunity.computeIfAbsent(e.communityDid(), c -> new ArrayList<>()).add(e);
            }
            Map<Key, Head> byKey = new HashMap<>();
            for (Key k : keys) {
                List<FeedEntry> entries = byCommunity.getOrDefault(k.communityDid(), List.of());
                byKey.put(k, new Head(List.copyOf(entries), entries.size() < size));
            }
            return byKey;
        });
    }
}
