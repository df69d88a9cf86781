package social.coves.api.feeds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

    static Result merge(List<Subscription> subscriptions, Map<String, CommunityHeads.Head> heads, FeedSort sort,
                        Timeframe timeframe, Instant now, FeedEntry after, int want) {
        Comparator<FeedEntry> order = FeedEntry.order(sort);
        Instant windowStart = sort == FeedSort.TOP ? timeframe.window().map(now::minus).orElse(null) : null;
        List<FeedEntry> candidates = new ArrayList<>();
        for (Subscription s : subscriptions) {
            long minScore = minScore(s.contentVisibility());
            for (FeedEntry e : heads.get(s.communityDid()).entries()) {
                if ((after == null || order.compare(e, after) > 0) && e.score() >= minScore
                        && (windowStart == null || e.createdAt().toInstant().isAfter(windowStart))) {
                    candidates.add(e);
                }
            }
        }
        List<FeedEntry> page = firstOf(candidates, order, want);
        FeedEntry cut = page.size() == want ? page.getLast() : null;
        List<Subscription> unknown = subscriptions.stream().filter(s -> {
            CommunityHeads.Head head = heads.get(s.communityDid());
            return !head.complete() && (cut == null || order.compare(cut, head.entries().getLast()) > 0);
        }).toList();
        return new Result(page, unknown);
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
