package social.coves.api.feeds;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory merge of community heads, checked against the plain answer: every post of every feed, sorted. */
class TimelineMergeTests {

    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final String BIG = "did:plc:big", SMALL = "did:plc:small", QUIET = "did:plc:quiet";

    /** {@code count} posts of a community, one every {@code everyMinutes}, scores cycling through -6..13. */
    static List<FeedEntry> posts(String community, int count, int everyMinutes, int offsetMinutes) {
        List<FeedEntry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OffsetDateTime at = NOW.minusSeconds(60L * (offsetMinutes + (long) i * everyMinutes)).atOffset(ZoneOffset.UTC);
            long score = (i * 7L) % 20 - 6;
            out.add(new FeedEntry("at://" + community + "/social.coves.community.post/p" + String.format("%05d", i), community,
                    score + at.toEpochSecond() / 45000.0, score, at));
        }
        return out;
    }

    final Map<String, List<FeedEntry>> feeds = Map.of(BIG, posts(BIG, 400, 1, 0), SMALL, posts(SMALL, 30, 13, 5), QUIET, posts(QUIET, 3, 300, 2));

    static List<CommunityHeads.Head> inOrder(List<TimelineMerge.Subscription> subs, Map<String, CommunityHeads.Head> heads) {
        return subs.stream().map(s -> heads.get(s.communityDid())).toList();
    }

    /** Heads of {@code size} posts, as {@link CommunityHeads} loads them. */
    Map<String, CommunityHeads.Head> heads(FeedSort sort, Timeframe timeframe, int size) {
        Comparator<FeedEntry> order = FeedEntry.order(sort);
        Instant start = sort == FeedSort.TOP ? timeframe.window().map(NOW::minus).orElse(Instant.MIN) : Instant.MIN;
        Map<String, CommunityHeads.Head> out = new java.util.HashMap<>();
        feeds.forEach((did, posts) -> {
            List<FeedEntry> feed = posts.stream().filter(e -> e.createdAt().toInstant().isAfter(start)).sorted(order).toList();
            out.put(did, new CommunityHeads.Head(feed.stream().limit(size).toList(), feed.size() < size));
        });
        return out;
    }

    /** What SQL would answer for the communities the heads could not: their own walk after the cursor. */
    List<FeedEntry> walk(List<TimelineMerge.Subscription> unknown, FeedSort sort, Timeframe timeframe, FeedEntry after, int want) {
        List<FeedEntry> out = new ArrayList<>();
        for (TimelineMerge.Subscription s : unknown) {
            out.addAll(expected(List.of(s), sort, timeframe, after).stream().limit(want).toList());
        }
        return out;
    }

    List<FeedEntry> expected(List<TimelineMerge.Subscription> subs, FeedSort sort, Timeframe timeframe, FeedEntry after) {
        Comparator<FeedEntry> order = FeedEntry.order(sort);
        Instant start = sort == FeedSort.TOP ? timeframe.window().map(NOW::minus).orElse(Instant.MIN) : Instant.MIN;
        List<FeedEntry> out = new ArrayList<>();
        for (TimelineMerge.Subscription s : subs) {
            long min = TimelineMerge.minScore(s.contentVisibility());
            Predicate<FeedEntry> keep = e -> e.score() >= min && e.createdAt().toInstant().isAfter(start)
                    && (after == null || order.compare(e, after) > 0);
            feeds.get(s.communityDid()).stream().filter(keep).forEach(out::add);
        }
        out.sort(order);
        return out;
    }

    /** Walks the whole timeline page by page through the merge (and the walks it asks for). */
    List<FeedEntry> walkTimeline(List<TimelineMerge.Subscription> subs, FeedSort sort, Timeframe timeframe, int headSize, int limit,
                                 List<Integer> walksPerPage) {
        Map<String, CommunityHeads.Head> heads = heads(sort, timeframe, headSize);
        List<FeedEntry> all = new ArrayList<>();
        FeedEntry after = null;
        while (true) {
            TimelineMerge.Result merged = TimelineMerge.merge(subs, inOrder(subs, heads), sort, timeframe, NOW, after, limit + 1);
            walksPerPage.add(merged.unknown().size());
            List<FeedEntry> entries = merged.unknown().isEmpty() ? merged.entries()
                    : TimelineMerge.withWalked(merged, walk(merged.unknown(), sort, timeframe, after, limit + 1), sort, limit + 1);
            List<FeedEntry> page = entries.stream().limit(limit).toList();
            all.addAll(page);
            if (entries.size() <= limit) {
                return all;
            }
            after = FeedEntry.position(sort, page.getLast().cursorValues(sort));
        }
    }

    @Test
    void everySortAndVisibilityPagesThroughExactlyTheFeedsMerged() {
        List<TimelineMerge.Subscription> subs = List.of(new TimelineMerge.Subscription(BIG, 3), new TimelineMerge.Subscription(SMALL, 5),
                new TimelineMerge.Subscription(QUIET, 1));
        for (FeedSort sort : FeedSort.values()) {
            for (Timeframe timeframe : sort == FeedSort.TOP ? List.of(Timeframe.HOUR, Timeframe.DAY, Timeframe.ALL) : List.of(Timeframe.ALL)) {
                for (int headSize : List.of(1, 10, 50, 1000)) {
                    List<Integer> walks = new ArrayList<>();
                    assertThat(walkTimeline(subs, sort, timeframe, headSize, 15, walks)).as(sort + " " + timeframe + " heads of " + headSize)
                            .containsExactlyElementsOf(expected(subs, sort, timeframe, null));
                    if (headSize == 1000) {
                        assertThat(walks).as("complete heads need no walk").containsOnly(0);
                    }
                }
            }
        }
    }

    @Test
    void aFirstPageWithinTheHeadsNeedsNoWalk() {
        List<TimelineMerge.Subscription> subs = List.of(new TimelineMerge.Subscription(BIG, 5), new TimelineMerge.Subscription(SMALL, 5));
        TimelineMerge.Result merged = TimelineMerge.merge(subs, inOrder(subs, heads(FeedSort.NEW, Timeframe.ALL, 50)), FeedSort.NEW, Timeframe.ALL, NOW, null, 16);
        assertThat(merged.unknown()).isEmpty();
        assertThat(merged.entries()).containsExactlyElementsOf(expected(subs, FeedSort.NEW, Timeframe.ALL, null).subList(0, 16));
    }

    @Test
    void aPageBelowABusyCommunitysHeadWalksOnlyThatCommunity() {
        List<TimelineMerge.Subscription> subs = List.of(new TimelineMerge.Subscription(BIG, 5), new TimelineMerge.Subscription(SMALL, 5),
                new TimelineMerge.Subscription(QUIET, 5));
        FeedEntry deep = expected(subs, FeedSort.NEW, Timeframe.ALL, null).get(200);
        TimelineMerge.Result merged = TimelineMerge.merge(subs, inOrder(subs, heads(FeedSort.NEW, Timeframe.ALL, 50)), FeedSort.NEW, Timeframe.ALL, NOW, deep, 16);
        assertThat(merged.unknown()).extracting(TimelineMerge.Subscription::communityDid).containsExactly(BIG);
    }

    @Test
    void aRefreshedHeadKeepsTheEntriesThatDidNotChange() {
        List<FeedEntry> before = posts(SMALL, 3, 13, 5);
        CommunityHeads.Head older = new CommunityHeads.Head(before, true);
        FeedEntry voted = new FeedEntry(before.get(1).uri(), SMALL, before.get(1).hotKey() + 1, before.get(1).score() + 1, before.get(1).createdAt());
        List<FeedEntry> again = posts(SMALL, 3, 13, 5); // equal entries, other objects
        CommunityHeads.Head fresh = new CommunityHeads.Head(List.of(again.get(0), voted, again.get(2)), true);
        CommunityHeads.Head kept = fresh.reusing(older);
        assertThat(kept).isEqualTo(fresh);
        assertThat(kept.entries().get(0)).isSameAs(before.get(0));
        assertThat(kept.entries().get(1)).isSameAs(voted);
        assertThat(kept.entries().get(2)).isSameAs(before.get(2));
        CommunityHeads.Head unchanged = new CommunityHeads.Head(again, true);
        assertThat(unchanged.reusing(older)).isSameAs(older);
    }

    @Test
    void minScoreMatchesTheSqlCase() {
        assertThat(List.of(5, 4, 3, 2, 1).stream().map(TimelineMerge::minScore).toList())
                .containsExactly(-9223372036854775807L, -5L, 0L, 3L, 10L);
        assertThat(ContentVisibility.MIN_SCORE_SQL).contains("WHEN 5 THEN -9223372036854775807 WHEN 4 THEN -5 WHEN 3 THEN 0 WHEN 2 THEN 3 ELSE 10");
    }
}
