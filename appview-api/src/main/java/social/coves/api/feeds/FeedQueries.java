package social.coves.api.feeds;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.images.ImageUrls;
import social.coves.api.cursor.CursorCodec;
import social.coves.api.posts.PostRows;
import social.coves.api.posts.PostView;
import social.coves.api.sql.Sql;
import social.coves.api.xrpc.XrpcException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Community, discover and timeline feeds. Every page is an index walk from the cursor's keyset position
 * ({@code hot_key}, {@code score+created_at} or {@code created_at}, then {@code uri}), so page 50 costs what page 1
 * costs. Hidden accounts are filtered by {@link PostRows#VISIBLE}; a viewer's blocked communities are left out
 * of discover and timeline; the timeline honours each subscription's {@code contentVisibility}.
 */
@ApplicationScoped
public class FeedQueries {

    /**
     * Discover leaves out posts of communities whose did:web hostedBy was refused: a hashed sub-plan over the small
     * partial index {@code communities_hosting_refused}, so the walk down the feed index still stops after a page.
     */
    private static final String HOSTING_REFUSED =
            " AND p.community_did NOT IN (SELECT did FROM appview.communities WHERE hosted_by_verified IS FALSE)";

    private final Pool pool;
    private final ImageUrls images;
    private final CursorCodec cursors;
    private final ViewerVotes votes;

    public FeedQueries(Pool pool, CursorCodec cursors, ViewerVotes votes, ImageUrls images) {
        this.images = images;
        this.pool = pool;
        this.cursors = cursors;
        this.votes = votes;
    }

    public Uni<FeedPage> page(FeedScope scope, FeedSort sort, Timeframe timeframe, int limit, String cursor, Optional<String> viewer) {
        String cursorKind = scope.key() + "|" + sort.key() + (sort == FeedSort.TOP ? "|" + timeframe.name() : "");
        List<String> after = cursor == null || cursor.isEmpty() ? null : cursors.decode(cursorKind, cursor, sort == FeedSort.TOP ? 3 : 2);
        Sql sql = sql(scope, sort, timeframe, after, limit, viewer);
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).chain(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            boolean more = list.size() > limit;
            List<Row> pageRows = more ? list.subList(0, limit) : list;
            List<PostView> posts = pageRows.stream().map(r -> PostRows.view(r, images)).toList();
            String next = more ? nextCursor(cursorKind, sort, pageRows.getLast()) : null;
            Uni<Map<String, PostView.Viewer>> viewerVotes = viewer.isPresent()
                    ? votes.of(viewer.get(), posts.stream().map(PostView::uri).toList())
                    : Uni.createFrom().item(Map.of());
            return viewerVotes.map(byUri -> new FeedPage(posts.stream()
                    .map(p -> new FeedPage.Item(byUri.containsKey(p.uri()) ? p.withViewer(byUri.get(p.uri())) : p)).toList(), next));
        });
    }

    /** The statement of one page: its SELECT starts with {@link PostRows#COLUMNS}; {@code limit + 1} rows tell if there are more. */
    static Sql sql(FeedScope scope, FeedSort sort, Timeframe timeframe, List<String> after, int limit, Optional<String> viewer) {
        Sql sql = new Sql();
        if (scope instanceof FeedScope.Timeline t) {
            timeline(sql, t.viewerDid(), sort, timeframe, after, limit);
            return sql;
        }
        sql.append("SELECT ").append(PostRows.COLUMNS).append(PostRows.FROM);
        if (scope instanceof FeedScope.Community c) {
            sql.append(" AND p.community_did = " + sql.bind(c.did()));
        }
        if (scope instanceof FeedScope.Discover) {
            sql.append(HOSTING_REFUSED);
        }
        if (viewer.isPresent() && scope instanceof FeedScope.Discover) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM appview.community_blocks b WHERE b.blocker_did = " + sql.bind(viewer.get())
                    + " AND b.community_did = p.community_did)");
        }
        window(sql, sort, timeframe, "p");
        if (after != null) {
            keyset(sql, sort, after, "p");
        }
        sql.append(orderBy(sort, "p")).append(" LIMIT " + sql.bind(limit + 1));
        return sql;
    }

    /**
     * The timeline as one short index walk per subscribed community (LATERAL, each at most one page long, visibility
     * and the subscription's {@code contentVisibility} applied inside), merged and cut to one page: its cost depends
     * on the number of subscriptions, not on the size of the network or the depth of the page. The walks read only
     * the sort keys and what the filters need, which the {@code posts_community_*_cover} indexes hold (index-only
     * scans); only the merged page's rows are then read from the table.
     */
    private static void timeline(Sql sql, String viewer, FeedSort sort, Timeframe timeframe, List<String> after, int limit) {
        String v = sql.bind(viewer);
        sql.append("SELECT ").append(PostRows.COLUMNS).append(" FROM (SELECT k.uri FROM (SELECT DISTINCT ON (community_did) community_did, ")
                .append("content_visibility FROM appview.subscriptions WHERE subscriber_did = " + v + " ORDER BY community_did, rkey DESC) s ")
                .append("CROSS JOIN LATERAL (SELECT " + sortKeys(sort) + " FROM appview.posts p WHERE p.community_did = s.community_did AND ")
                // "+ 0": the score test stays a filter on the ordered walk; as an index condition it lets the planner
                // prefer a bitmap scan of posts_community_top_cover plus a sort, which reads all of a big community
                .append(PostRows.VISIBLE).append(" AND p.score + 0 >= " + ContentVisibility.MIN_SCORE_SQL);
        window(sql, sort, timeframe, "p");
        if (after != null) {
            keyset(sql, sort, after, "p");
        }
        String page = sql.bind(limit + 1);
        sql.append(orderBy(sort, "p")).append(" LIMIT " + page + ") k ")
                .append("WHERE NOT EXISTS (SELECT 1 FROM appview.community_blocks b WHERE b.blocker_did = " + v
                        + " AND b.community_did = s.community_did)")
                .append(orderBy(sort, "k")).append(" LIMIT " + page + ") k ")
                .append("JOIN appview.posts p ON p.uri = k.uri ")
                .append("LEFT JOIN appview.actors aa ON aa.did = p.author_did ")
                .append("LEFT JOIN appview.communities c ON c.did = p.community_did ")
                .append("LEFT JOIN appview.actors ca ON ca.did = p.community_did")
                .append(orderBy(sort, "p"));
    }

    /** The columns a sort orders by ({@code uri} and the sort keys), all of them in the sort's covering index. */
    private static String sortKeys(FeedSort sort) {
        return switch (sort) {
            case HOT -> "p.uri, p.hot_key";
            case TOP -> "p.uri, p.score, p.created_at";
            case NEW -> "p.uri, p.created_at";
        };
    }

    private static void window(Sql sql, FeedSort sort, Timeframe timeframe, String p) {
        if (sort == FeedSort.TOP) {
            timeframe.window().ifPresent(w -> sql.append(" AND " + p + ".created_at > " + sql.bind(OffsetDateTime.now(ZoneOffset.UTC).minus(w))));
        }
    }

    private static String orderBy(FeedSort sort, String p) {
        return switch (sort) {
            case HOT -> " ORDER BY " + p + ".hot_key DESC, " + p + ".uri DESC";
            case TOP -> " ORDER BY " + p + ".score DESC, " + p + ".created_at DESC, " + p + ".uri DESC";
            case NEW -> " ORDER BY " + p + ".created_at DESC, " + p + ".uri DESC";
        };
    }

    private static void keyset(Sql sql, FeedSort sort, List<String> values, String p) {
        try {
            switch (sort) {
                case HOT -> sql.append(" AND (" + p + ".hot_key, " + p + ".uri) < (" + sql.bind(Double.parseDouble(values.get(0))) + ", "
                        + sql.bind(values.get(1)) + ")");
                case TOP -> sql.append(" AND (" + p + ".score, " + p + ".created_at, " + p + ".uri) < (" + sql.bind(Long.parseLong(values.get(0)))
                        + ", " + sql.bind(OffsetDateTime.parse(values.get(1))) + ", " + sql.bind(values.get(2)) + ")");
                case NEW -> sql.append(" AND (" + p + ".created_at, " + p + ".uri) < (" + sql.bind(OffsetDateTime.parse(values.get(0))) + ", "
                        + sql.bind(values.get(1)) + ")");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new XrpcException(400, "InvalidCursor", "the cursor is malformed");
        }
    }

    private String nextCursor(String kind, FeedSort sort, Row last) {
        String createdAt = last.getOffsetDateTime("created_at") == null ? Instant.EPOCH.atOffset(ZoneOffset.UTC).toString()
                : last.getOffsetDateTime("created_at").toString();
        return cursors.encode(kind, switch (sort) {
            case HOT -> List.of(Double.toString(last.getDouble("hot_key")), last.getString("uri"));
            case TOP -> List.of(Long.toString(last.getLong("score")), createdAt, last.getString("uri"));
            case NEW -> List.of(createdAt, last.getString("uri"));
        });
    }
}
