package social.coves.api.feeds;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.hydration.ViewerSubscriptions;
import social.coves.api.sql.Sql;
import social.coves.localstack.testing.PostgresResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans of the statements the feeds really run ({@link FeedQueries#sql}, and for the timeline the walks of
 * {@link TimelineWalks#sql} that load community heads and page past them), for every scope, sort and page position,
 * over 100,000 posts in 100 communities (30 of them subscribed) inserted (and rolled back) in the test's own transaction: each page is an
 * ordered walk down one feed index that stops after a page — no sequential scan of posts and no sort of the matches.
 * The timeline's walks are index-only, one per subscription.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
class FeedPlanTests {

    static final String VIEWER = "did:plc:planviewerplanviewerplan";
    static final String COMMUNITY = "did:plc:plancommunity000000000007";
    /** The viewer's subscriptions as seeded below. */
    static final List<TimelineMerge.Subscription> SUBSCRIPTIONS = java.util.stream.IntStream.rangeClosed(1, 30)
            .mapToObj(i -> new TimelineMerge.Subscription("did:plc:plancommunity" + "%012d".formatted(i * 3), 3)).toList();

    @Inject
    Pool pool;

    @Test
    void everyFeedPageIsAnOrderedIndexWalk() {
        Map<String, String> plans = inSeededTransaction(conn -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (FeedSort sort : FeedSort.values()) {
                FeedEntry cursor = FeedEntry.position(sort, deepCursor(conn, sort));
                for (FeedEntry after : java.util.Arrays.asList(null, cursor)) {
                    String page = after == null ? "p1" : "deep";
                    out.put("community " + sort + " " + page, explain(conn, FeedQueries.sql(new FeedScope.Community(COMMUNITY), sort,
                            Timeframe.ALL, after, 15, Optional.empty())));
                    out.put("discover " + sort + " " + page, explain(conn, FeedQueries.sql(new FeedScope.Discover(), sort,
                            Timeframe.ALL, after, 15, Optional.of(VIEWER))));
                    out.put("timeline " + sort + " " + page, explain(conn, TimelineWalks.sql(SUBSCRIPTIONS, sort, Timeframe.ALL, after, 16)));
                }
                out.put("community " + sort + " week", explain(conn, FeedQueries.sql(new FeedScope.Community(COMMUNITY), sort,
                        Timeframe.WEEK, null, 15, Optional.empty())));
            }
            return out;
        });
        plans.forEach((name, plan) -> {
            String sort = name.split(" ")[1].toLowerCase(java.util.Locale.ROOT);
            assertThat(plan).as(name).doesNotContain("Seq Scan on posts");
            if (name.startsWith("timeline")) {
                assertThat(plan).as(name).contains("Index Only Scan using posts_community_" + sort + "_cover").doesNotContain("Sort");
            } else if (name.endsWith("week") && !plan.contains("_" + sort + "_cover ")) {
                // A timeframe has two good plans and the planner picks by how much of the feed falls in the window:
                // walk the sort's index and filter by time, or read just the window from the community's time index
                // and top-N sort it. Either stops at the window; neither reads the whole community.
                assertThat(plan).as(name).containsPattern("(Bitmap Index Scan on|Index (Only )?Scan( Backward)? using) posts_community_new_cover ");
                assertThat(plan).as(name).contains("Index Cond: ((community_did = ").contains("AND (created_at > ");
            } else {
                String index = name.startsWith("community") ? "posts_community_" + sort + "_cover" : "posts_" + sort;
                assertThat(plan).as(name).containsPattern("Index Scan( Backward)? using " + index + " ");
                assertThat(plan).as(name).doesNotContain("Sort");
            }
        });
    }

    /**
     * Every timeline first reads the viewer's subscriptions. The covering index holds every column the statement
     * reads, in the order DISTINCT ON needs, so it can be one index-only scan with no sort. Whether the planner takes
     * it depends on the table's visibility map (a freshly written table gets a bitmap scan), so this checks what the
     * index allows, with the other scan kinds turned off for the transaction. Other subscribers' rows (40,000 of 2,000
     * viewers) make the table as lopsided as a real one: with only a handful of rows any index is as cheap as another.
     */
    @Test
    void aTimelinesSubscriptionsCanBeAnIndexOnlyScanWithoutASort() {
        String plan = inSeededTransaction(conn -> {
            conn.query("""
                    INSERT INTO appview.subscriptions (uri, cid, subscriber_did, rkey, community_did, content_visibility, created_at)
                    SELECT 'at://did:plc:planother' || lpad((i % 2000)::text, 17, '0') || '/social.coves.community.subscription/o' || i,
                           'bafyother' || i, 'did:plc:planother' || lpad((i % 2000)::text, 17, '0'), 'o' || i,
                           'did:plc:plancommunity' || lpad((i % 100)::text, 12, '0'), 3, now()
                      FROM generate_series(1, 40000) i""").execute().await().indefinitely();
            conn.query("ANALYZE appview.subscriptions").execute().await().indefinitely();
            conn.query("SET LOCAL enable_bitmapscan = off").execute().await().indefinitely();
            conn.query("SET LOCAL enable_seqscan = off").execute().await().indefinitely();
            Sql sql = new Sql();
            sql.bind(VIEWER);
            return explain(conn, sql.append(ViewerSubscriptions.SQL));
        });
        assertThat(plan).contains("Index Only Scan using subscriptions_subscriber_cover").doesNotContain("Sort Key: s.");
    }

    private interface Work<T> {
        T run(SqlConnection conn);
    }

    /** Runs {@code work} after seeding the tables in a transaction that is rolled back, so other tests never see the rows. */
    private <T> T inSeededTransaction(Work<T> work) {
        SqlConnection conn = pool.getConnection().await().indefinitely();
        Transaction tx = conn.begin().await().indefinitely();
        try {
            conn.query("""
                    INSERT INTO appview.posts (uri, cid, community_did, rkey, author_did, title, created_at, upvotes)
                    SELECT 'at://did:plc:plancommunity' || lpad((i % 100)::text, 12, '0') || '/social.coves.community.post/p' || i,
                           'bafyplan' || i, 'did:plc:plancommunity' || lpad((i % 100)::text, 12, '0'), 'p' || i,
                           'did:plc:planauthor' || lpad((i % 5000)::text, 15, '0'), 'post ' || i,
                           now() - make_interval(mins => i), i % 97
                      FROM generate_series(1, 100000) i""").execute().await().indefinitely();
            conn.query("""
                    INSERT INTO appview.subscriptions (uri, cid, subscriber_did, rkey, community_did, content_visibility, created_at)
                    SELECT 'at://%1$s/social.coves.community.subscription/s' || i, 'bafysub' || i, '%1$s', 's' || i,
                           'did:plc:plancommunity' || lpad((i * 3)::text, 12, '0'), 3, now()
                      FROM generate_series(1, 30) i""".formatted(VIEWER)).execute().await().indefinitely();

            conn.query("ANALYZE appview.posts").execute().await().indefinitely();
            conn.query("ANALYZE appview.subscriptions").execute().await().indefinitely();
            return work.run(conn);
        } finally {
            tx.rollback().await().indefinitely();
            conn.close().await().indefinitely();
        }
    }

    /** The keyset position of the community's 500th post in {@code sort} order: a page deep in the feed. */
    private static List<String> deepCursor(SqlConnection conn, FeedSort sort) {
        String keys = switch (sort) {
            case HOT -> "hot_key::text, uri ORDER BY hot_key DESC, uri DESC";
            case TOP -> "score::text, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), uri"
                    + " ORDER BY score DESC, created_at DESC, uri DESC";
            case NEW -> "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), uri ORDER BY created_at DESC, uri DESC";
        };
        Row row = conn.query("SELECT " + keys.replace(" ORDER BY", " FROM appview.posts WHERE community_did = '" + COMMUNITY + "' ORDER BY")
                + " OFFSET 500 LIMIT 1").execute().await().indefinitely().iterator().next();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            out.add(row.getString(i));
        }
        return out;
    }

    private static String explain(SqlConnection conn, Sql sql) {
        List<String> lines = new ArrayList<>();
        for (Row row : conn.preparedQuery("EXPLAIN " + sql.text()).execute(sql.tuple()).await().indefinitely()) {
            lines.add(row.getString(0));
        }
        return String.join("\n", lines);
    }
}
