package social.coves.api.feeds;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.cursor.CursorCodec;
import social.coves.api.hydration.PostsByUri;
import io.vertx.mutiny.sqlclient.Row;
import social.coves.api.hydration.PostHydrator;
import social.coves.api.hydration.ViewerSubscriptions;
import social.coves.api.posts.PostRows;
import social.coves.api.sql.Sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Community, discover and timeline feeds. Every page is an index walk from the cursor's keyset position
 * ({@code hot_key}, {@code score+created_at} or {@code created_at}, then {@code uri}), so page 50 costs what page 1
 * costs. Hidden accounts are filtered by {@link PostRows#VISIBLE}; a viewer's blocked communities are left out
 * of discover and timeline; the timeline honours each subscription's {@code contentVisibility}. A page here is its
 * skeleton (the posts' places in the feed and the cursor); {@link PostHydrator} turns it into post views — a community
 * or discover page reads its posts' rows in the walk itself ({@link PostHydrator#pageRows}).
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
    private final CursorCodec cursors;
    private final CommunityHeads heads;
    private final ViewerSubscriptions subscriptions;
    private final PostHydrator hydrator;
    private final CommunityFeedPages communityPages;

    public FeedQueries(Pool pool, CursorCodec cursors, CommunityHeads heads, ViewerSubscriptions subscriptions, PostHydrator hydrator,
                       CommunityFeedPages communityPages) {
        this.communityPages = communityPages;
        this.pool = pool;
        this.cursors = cursors;
        this.heads = heads;
        this.subscriptions = subscriptions;
        this.hydrator = hydrator;
    }

    public Uni<FeedPage> page(FeedScope scope, FeedSort sort, Timeframe timeframe, int limit, String cursor, Optional<String> viewer) {
        String cursorKind = scope.key() + "|" + sort.key() + (sort == FeedSort.TOP ? "|" + timeframe.name() : "");
        FeedEntry after = cursor == null || cursor.isEmpty() ? null
                : FeedEntry.position(sort, cursors.decode(cursorKind, cursor, sort == FeedSort.TOP ? 3 : 2));
        if (scope instanceof FeedScope.Community c) {
            // the same page for every reader (kept until the community changes), then the viewer's votes over it
            var key = new CommunityFeedPages.Key(c.did(), sort, sort == FeedSort.TOP ? timeframe : Timeframe.ALL, limit,
                    cursor == null ? "" : cursor);
            return communityPages.get(key, k -> communityPage(c, sort, timeframe, after, limit, cursorKind))
                    .chain(page -> hydrator.withViewer(page.posts(), viewer).map(posts -> FeedPage.of(posts, page.next())));
        }
        if (!(scope instanceof FeedScope.Timeline t)) {
            // a community or discover page: its posts in the walk's own statement (one round trip, not keys then posts)
            Sql sql = sql(scope, sort, timeframe, after, limit, viewer);
            return hydrator.pageRows(sql.text(), sql.tuple()).chain(rows -> {
                List<Row> page = rows.size() > limit ? rows.subList(0, limit) : rows;
                String next = rows.size() > limit ? cursors.encode(cursorKind, FeedEntry.of(page.getLast()).cursorValues(sort)) : null;
                return hydrator.views(page, viewer).map(posts -> FeedPage.of(posts, next));
            });
        }
        return timeline(t.viewerDid(), sort, timeframe, after, limit + 1).chain(found -> {
            List<FeedEntry> page = found.size() > limit ? found.subList(0, limit) : found;
            String next = found.size() > limit ? cursors.encode(cursorKind, page.getLast().cursorValues(sort)) : null;
            if (page.isEmpty()) {
                return Uni.createFrom().item(new FeedPage(List.of(), next));
            }
            List<String> uris = page.stream().map(FeedEntry::uri).toList();
            // timelines of viewers subscribed to the same communities share their posts' views for a moment
            return hydrator.recentPosts(uris, viewer).map(hydrated -> FeedPage.of(hydrated.inOrder(uris), next));
        });
    }

    /** A community page without viewer state: its posts in the walk's own statement, serialised once (it is kept). */
    private Uni<CommunityFeedPages.Page> communityPage(FeedScope.Community scope, FeedSort sort, Timeframe timeframe, FeedEntry after,
                                                       int limit, String cursorKind) {
        Sql sql = sql(scope, sort, timeframe, after, limit, Optional.empty());
        return hydrator.pageRows(sql.text(), sql.tuple()).map(rows -> {
            List<Row> page = rows.size() > limit ? rows.subList(0, limit) : rows;
            String next = rows.size() > limit ? cursors.encode(cursorKind, FeedEntry.of(page.getLast()).cursorValues(sort)) : null;
            return new CommunityFeedPages.Page(scope.did(), hydrator.renderedViews(page), next);
        });
    }

    private Uni<List<FeedEntry>> walk(Sql sql) {
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).map(rows -> {
            List<FeedEntry> entries = new ArrayList<>();
            rows.forEach(r -> entries.add(FeedEntry.of(r)));
            return entries;
        });
    }

    /**
     * The first {@code want} entries of a viewer's timeline after {@code after}: its subscriptions' heads merged in
     * memory ({@link TimelineMerge}), and a SQL walk ({@link TimelineWalks}) only for the communities whose heads end
     * above the page — for every subscription when heads are off.
     */
    private Uni<List<FeedEntry>> timeline(String viewer, FeedSort sort, Timeframe timeframe, FeedEntry after, int want) {
        return this.subscriptions.of(viewer).chain(found -> {
            List<TimelineMerge.Subscription> subscriptions = found.stream()
                    .map(s -> new TimelineMerge.Subscription(s.communityDid(), s.contentVisibility())).toList();
            if (subscriptions.isEmpty()) {
                return Uni.createFrom().item(List.<FeedEntry>of());
            }
            Uni<TimelineMerge.Result> merged = heads.enabled()
                    ? heads.of(subscriptions.stream().map(TimelineMerge.Subscription::communityDid).toList(), sort, timeframe)
                            .map(byCommunity -> TimelineMerge.merge(subscriptions, byCommunity, sort, timeframe, Instant.now(), after, want))
                    : Uni.createFrom().item(new TimelineMerge.Result(List.of(), subscriptions));
            return merged.chain(m -> {
                if (m.unknown().isEmpty()) {
                    return Uni.createFrom().item(m.entries());
                }
                return walk(TimelineWalks.sql(m.unknown(), sort, timeframe, after, want))
                        .map(walked -> TimelineMerge.withWalked(m, walked, sort, want));
            });
        });
    }

    /** The statement of one community or discover page: its posts' rows ({@link PostsByUri#COLUMNS}, also the {@link FeedEntry} columns); {@code limit + 1} rows tell if there are more. */
    static Sql sql(FeedScope scope, FeedSort sort, Timeframe timeframe, FeedEntry after, int limit, Optional<String> viewer) {
        if (scope instanceof FeedScope.Timeline) {
            throw new IllegalArgumentException("the timeline is a merge of walks (TimelineWalks), not one statement");
        }
        Sql sql = new Sql();
        sql.append("SELECT " + PostsByUri.COLUMNS + PostsByUri.FROM + "WHERE " + PostRows.VISIBLE);
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

    static void window(Sql sql, FeedSort sort, Timeframe timeframe, String p) {
        if (sort == FeedSort.TOP) {
            timeframe.window().ifPresent(w -> sql.append(" AND " + p + ".created_at > " + sql.bind(OffsetDateTime.now(ZoneOffset.UTC).minus(w))));
        }
    }

    static String orderBy(FeedSort sort, String p) {
        return switch (sort) {
            case HOT -> " ORDER BY " + p + ".hot_key DESC, " + p + ".uri DESC";
            case TOP -> " ORDER BY " + p + ".score DESC, " + p + ".created_at DESC, " + p + ".uri DESC";
            case NEW -> " ORDER BY " + p + ".created_at DESC, " + p + ".uri DESC";
        };
    }

    static void keyset(Sql sql, FeedSort sort, FeedEntry after, String p) {
        switch (sort) {
            case HOT -> sql.append(" AND (" + p + ".hot_key, " + p + ".uri) < (" + sql.bind(after.hotKey()) + ", " + sql.bind(after.uri()) + ")");
            case TOP -> sql.append(" AND (" + p + ".score, " + p + ".created_at, " + p + ".uri) < (" + sql.bind(after.score()) + ", "
                    + sql.bind(after.createdAt()) + ", " + sql.bind(after.uri()) + ")");
            case NEW -> sql.append(" AND (" + p + ".created_at, " + p + ".uri) < (" + sql.bind(after.createdAt()) + ", " + sql.bind(after.uri()) + ")");
        }
    }
}
