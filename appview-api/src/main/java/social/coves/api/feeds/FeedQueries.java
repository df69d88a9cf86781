package social.coves.api.feeds;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
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
 * costs. Hidden accounts are filtered by {@code appview.visible_posts}; a viewer's blocked communities are left out
 * of discover and timeline; the timeline honours each subscription's {@code contentVisibility}.
 */
@ApplicationScoped
public class FeedQueries {

    private final Pool pool;
    private final CursorCodec cursors;
    private final ViewerVotes votes;

    public FeedQueries(Pool pool, CursorCodec cursors, ViewerVotes votes) {
        this.pool = pool;
        this.cursors = cursors;
        this.votes = votes;
    }

    public Uni<FeedPage> page(FeedScope scope, FeedSort sort, Timeframe timeframe, int limit, String cursor, Optional<String> viewer) {
        String cursorKind = scope.key() + "|" + sort.key() + (sort == FeedSort.TOP ? "|" + timeframe.name() : "");
        Sql sql = new Sql().append("SELECT ").append(PostRows.COLUMNS).append(PostRows.FROM).append(" WHERE true");
        switch (scope) {
            case FeedScope.Community c -> sql.append(" AND p.community_did = " + sql.bind(c.did()));
            case FeedScope.Discover d -> { }
            case FeedScope.Timeline t -> {
                String v = sql.bind(t.viewerDid());
                sql.append(" AND EXISTS (SELECT 1 FROM appview.subscriptions s WHERE s.subscriber_did = " + v
                        + " AND s.community_did = p.community_did AND p.score >= " + ContentVisibility.MIN_SCORE_SQL + ")");
            }
        }
        if (viewer.isPresent() && !(scope instanceof FeedScope.Community)) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM appview.community_blocks b WHERE b.blocker_did = " + sql.bind(viewer.get())
                    + " AND b.community_did = p.community_did)");
        }
        if (sort == FeedSort.TOP) {
            timeframe.window().ifPresent(w -> sql.append(" AND p.created_at > " + sql.bind(OffsetDateTime.now(ZoneOffset.UTC).minus(w))));
        }
        if (cursor != null && !cursor.isEmpty()) {
            keyset(sql, sort, cursors.decode(cursorKind, cursor, sort == FeedSort.TOP ? 3 : 2));
        }
        sql.append(switch (sort) {
            case HOT -> " ORDER BY p.hot_key DESC, p.uri DESC";
            case TOP -> " ORDER BY p.score DESC, p.created_at DESC, p.uri DESC";
            case NEW -> " ORDER BY p.created_at DESC, p.uri DESC";
        });
        sql.append(" LIMIT " + sql.bind(limit + 1));
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).chain(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            boolean more = list.size() > limit;
            List<Row> pageRows = more ? list.subList(0, limit) : list;
            List<PostView> posts = pageRows.stream().map(PostRows::view).toList();
            String next = more ? nextCursor(cursorKind, sort, pageRows.getLast()) : null;
            Uni<Map<String, PostView.Viewer>> viewerVotes = viewer.isPresent()
                    ? votes.of(viewer.get(), posts.stream().map(PostView::uri).toList())
                    : Uni.createFrom().item(Map.of());
            return viewerVotes.map(byUri -> new FeedPage(posts.stream()
                    .map(p -> new FeedPage.Item(byUri.containsKey(p.uri()) ? p.withViewer(byUri.get(p.uri())) : p)).toList(), next));
        });
    }

    private static void keyset(Sql sql, FeedSort sort, List<String> values) {
        try {
            switch (sort) {
                case HOT -> sql.append(" AND (p.hot_key, p.uri) < (" + sql.bind(Double.parseDouble(values.get(0))) + ", "
                        + sql.bind(values.get(1)) + ")");
                case TOP -> sql.append(" AND (p.score, p.created_at, p.uri) < (" + sql.bind(Long.parseLong(values.get(0))) + ", "
                        + sql.bind(OffsetDateTime.parse(values.get(1))) + ", " + sql.bind(values.get(2)) + ")");
                case NEW -> sql.append(" AND (p.created_at, p.uri) < (" + sql.bind(OffsetDateTime.parse(values.get(0))) + ", "
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
