package social.coves.api.feeds;

import social.coves.api.posts.PostRows;
import social.coves.api.sql.Sql;

import java.util.List;

/**
 * One statement that walks several communities' feed indexes at once, each for at most {@code perCommunity} posts
 * after a position, and returns only the sort keys (rows for {@link FeedEntry#of}): what {@link CommunityHeads} loads, and what a
 * timeline reads for the communities the heads cannot answer for. The walks read only what the
 * {@code posts_community_*_cover} indexes hold (index-only scans).
 */
final class TimelineWalks {

    private TimelineWalks() {
    }

    static Sql sql(List<TimelineMerge.Subscription> subscriptions, FeedSort sort, Timeframe timeframe, FeedEntry after, int perCommunity) {
        Sql sql = new Sql();
        String dids = sql.bind(subscriptions.stream().map(TimelineMerge.Subscription::communityDid).toArray(String[]::new));
        String visibilities = sql.bind(subscriptions.stream().map(TimelineMerge.Subscription::contentVisibility).toArray(Integer[]::new));
        sql.append("SELECT s.community_did, k.uri, k.hot_key, k.score, k.created_at FROM unnest(" + dids + "::text[], " + visibilities
                        + "::int[]) AS s(community_did, content_visibility) CROSS JOIN LATERAL (SELECT " + keys(sort)
                        + " FROM appview.posts p WHERE p.community_did = s.community_did AND ")
                // "+ 0": the score test stays a filter on the ordered walk; as an index condition it lets the planner
                // prefer a bitmap scan of posts_community_top_cover plus a sort, which reads all of a big community
                .append(PostRows.VISIBLE).append(" AND p.score + 0 >= " + ContentVisibility.MIN_SCORE_SQL);
        FeedQueries.window(sql, sort, timeframe, "p");
        if (after != null) {
            FeedQueries.keyset(sql, sort, after, "p");
        }
        sql.append(FeedQueries.orderBy(sort, "p")).append(" LIMIT " + sql.bind(perCommunity) + ") k");
        return sql;
    }

    /** The walk's columns: the sort's keys and the score, all in the sort's covering index; the others NULL. */
    private static String keys(FeedSort sort) {
        return switch (sort) {
            case HOT -> "p.uri, p.hot_key, p.score, NULL::timestamptz AS created_at";
            case TOP, NEW -> "p.uri, NULL::float8 AS hot_key, p.score, p.created_at";
        };
    }
}
