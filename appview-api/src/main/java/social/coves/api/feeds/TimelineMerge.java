package social.coves.api.feeds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Merges the subscribed communities' {@link CommunityHeads heads} into one timeline page, and says which communities
 * the heads cannot answer for: a head that is not the community's whole feed is exact only down to its last post, so
 * a community whose head ends above the page's cut must be walked in SQL from the cursor (typically one very active
 * community on a deep page). Pure: no I/O.
 */
final class TimelineMerge {

    /** A subscription as the timeline reads it (blocked communities already left out). */
    record Subscription(String communityDid, int contentVisibility) {
    }

    /** The first {@code want} posts after the cursor, exact as long as {@code unknown} is empty. */
    record Result(List<FeedEntry> entries, List<Subscription> unknown) {
    }

    private TimelineMerge() {
    }

    /** {@code heads} holds each subscription's head, in the subscriptions' order. */
    static Result merge(List<Subscription> subscriptions, List<CommunityHeads.Head> heads, FeedSort sort,
                        Timeframe timeframe, Instant now, FeedEntry after, int want) {
        Comparator<FeedEntry> order = FeedEntry.order(sort);
        long windowStart = sort == FeedSort.TOP ? timeframe.window().map(w -> FeedEntry.micros(now.minus(w))).orElse(Long.MIN_VALUE)
                : Long.MIN_VALUE; // microseconds; a post must be newer
        // a k-way merge of the (sorted) heads: reads about want entries, not every head's every entry
        PriorityQueue<Walk> next = new PriorityQueue<>(Math.max(1, subscriptions.size()), (x, y) -> order.compare(x.current, y.current));
        List<Walk> partial = new ArrayList<>(); // heads that are not their community's whole feed
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription s = subscriptions.get(i);
            CommunityHeads.Head head = heads.get(i);
            Walk walk = new Walk(s, head.entries(), minScore(s.contentVisibility()), windowStart);
            if (!head.complete()) {
                partial.add(walk);
            }
            walk.skipTo(after, order);
            if (walk.advance()) {
                next.add(walk);
            }
        }
        List<FeedEntry> page = new ArrayList<>(want);
        while (page.size() < want && !next.isEmpty()) {
            Walk walk = next.poll();
            page.add(walk.current);
            if (walk.advance()) {
                next.add(walk);
            }
        }
        FeedEntry cut = page.size() == want ? page.getLast() : null;
        List<Subscription> unknown = new ArrayList<>();
        for (Walk walk : partial) {
            if (cut == null || order.compare(cut, walk.entries.getLast()) > 0) {
                unknown.add(walk.subscription);
            }
        }
        return new Result(List.copyOf(page), unknown);
    }

    /** One head read in feed order from a position, skipping what the subscription's contentVisibility or the window hides. */
    private static final class Walk {
        private final Subscription subscription;
        private final List<FeedEntry> entries;
        private final long minScore;
        private final long windowStart;
        private int index;
        FeedEntry current;

        Walk(Subscription subscription, List<FeedEntry> entries, long minScore, long windowStart) {
            this.subscription = subscription;
            this.entries = entries;
            this.minScore = minScore;
            this.windowStart = windowStart;
        }

        /** Starts after {@code after} (binary search: the head is in feed order). */
        void skipTo(FeedEntry after, Comparator<FeedEntry> order) {
            if (after == null) {
                return;
            }
            int low = 0, high = entries.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (order.compare(entries.get(mid), after) > 0) {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            index = low;
        }

        boolean advance() {
            while (index < entries.size()) {
                FeedEntry e = entries.get(index++);
                if (e.score() >= minScore && e.createdMicros() > windowStart) {
                    current = e;
                    return true;
                }
            }
            return false;
        }
    }

    /** The merged page once the {@code unknown} communities' own walks ({@code walked}) replace their heads. */
    static List<FeedEntry> withWalked(Result merged, List<FeedEntry> walked, FeedSort sort, int want) {
        Set<String> replaced = merged.unknown().stream().map(Subscription::communityDid).collect(Collectors.toSet());
        List<FeedEntry> candidates = new ArrayList<>(walked);
        merged.entries().stream().filter(e -> !replaced.contains(e.communityDid())).forEach(candidates::add);
        return firstOf(candidates, FeedEntry.order(sort), want);
    }

    /** The lowest score a subscription's contentVisibility shows; the same as {@link ContentVisibility#MIN_SCORE_SQL}. */
    static long minScore(int contentVisibility) {
        return switch (contentVisibility) {
            case 5 -> -9223372036854775807L;
            case 4 -> -5;
            case 3 -> 0;
            case 2 -> 3;
            default -> 10;
        };
    }

    private static List<FeedEntry> firstOf(List<FeedEntry> candidates, Comparator<FeedEntry> order, int want) {
        candidates.sort(order);
        return candidates.size() > want ? List.copyOf(candidates.subList(0, want)) : List.copyOf(candidates);
    }
}
