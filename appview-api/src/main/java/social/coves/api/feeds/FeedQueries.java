package social.coves.api.feeds;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.images.ImageUrls;
import social.coves.api.cursor.CursorCodec;
import social.coves.api.posts.PostRows;
import social.coves.api.posts.PostView;
import social.coves.api.sql.Sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /** A viewer's subscribed communities (the newest subscription record of each) and their contentVisibility, blocked ones left out. */
    static final String SUBSCRIPTIONS = """
            SELECT DISTINCT ON (community_did) community_did, content_visibility FROM appview.subscriptions s
             WHERE subscriber_did = $1
               AND NOT EXISTS (SELECT 1 FROM appview.community_blocks b WHERE b.blocker_did = $1 AND b.community_did = s.community_did)
             ORDER BY community_did, rkey DESC""";

    private final Pool pool;
    private final ImageUrls images;
    private final CursorCodec cursors;
    private final ViewerVotes votes;
    private final CommunityHeads heads;
    private final RecentPostViews recentPosts;

    public FeedQueries(Pool pool, CursorCodec cursors, ViewerVotes votes, ImageUrls images, CommunityHeads heads,
                       RecentPostViews recentPosts) {
        this.heads = heads;
        this.recentPosts = recentPosts;
        this.images = images;
        this.pool = pool;
        this.cursors = cursors;
        this.votes = votes;
    }

    public Uni<FeedPage> page(FeedScope scope, FeedSort sort, Timeframe timeframe, int limit, String cursor, Optional<String> viewer) {
        String cursorKind = scope.key() + "|" + sort.key() + (sort == FeedSort.TOP ? "|" + timeframe.name() : "");
        FeedEntry after = cursor == null || cursor.isEmpty() ? null
                : FeedEntry.position(sort, cursors.decode(cursorKind, cursor, sort == FeedSort.TOP ? 3 : 2));
        if (scope instanceof FeedScope.Timeline t) {
            return timeline(t.viewerDid(), sort, timeframe, after, limit + 1).chain(entries -> {
                List<FeedEntry> pageEntries = entries.size() > limit ? entries.subList(0, limit) : entries;
                String next = entries.size() > limit ? cursors.encode(cursorKind, pageEntries.getLast().cursorValues(sort)) : null;
                return postsInOrder(pageEntries, viewer, next);
            });
        }
        Sql sql = sql(scope, sort, timeframe, after, limit, viewer);
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).chain(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            boolean more = list.size() > limit;
            List<Row> pageRows = more ? list.subList(0, limit) : list;
            String next = more ? cursors.encode(cursorKind, FeedEntry.of(pageRows.getLast()).cursorValues(sort)) : null;
            List<PostView> posts = pageRows.stream().map(r -> PostRows.view(r, images)).toList();
            Uni<Map<String, PostView.Viewer>> viewerVotes = viewer.isPresent()
                    ? votes.of(viewer.get(), posts.stream().map(PostView::uri).toList())
                    : Uni.createFrom().item(Map.of());
            return viewerVotes.map(byUri -> feedPage(posts, byUri, next));
        });
    }

    /**
     * The first {@code want} entries of a viewer's timeline after {@code after}: its subscriptions' heads merged in
     * memory ({@link TimelineMerge}), and a SQL walk ({@link TimelineWalks}) only for the communities whose heads end
     * above the page — for every subscription when heads are off.
     */
    private Uni<List<FeedEntry>> timeline(String viewer, FeedSort sort, Timeframe timeframe, FeedEntry after, int want) {
        return pool.preparedQuery(SUBSCRIPTIONS).execute(Tuple.of(viewer)).chain(rows -> {
            List<TimelineMerge.Subscription> subscriptions = new ArrayList<>();
            rows.forEach(r -> subscriptions.add(new TimelineMerge.Subscription(r.getString(0), r.getInteger(1))));
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
                Sql walk = TimelineWalks.sql(m.unknown(), sort, timeframe, after, want);
                return pool.preparedQuery(walk.text()).execute(walk.tuple()).map(walked -> {
                    List<FeedEntry> entries = new ArrayList<>();
                    walked.forEach(r -> entries.add(FeedEntry.of(r)));
                    return TimelineMerge.withWalked(m, entries, sort, want);
                });
            });
        });
    }

    /** The posts of these entries ({@link RecentPostViews}) in the entries' order; a post no longer listable is left out. */
    private Uni<FeedPage> postsInOrder(List<FeedEntry> entries, Optional<String> viewer, String next) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(new FeedPage(List.of(), next));
        }
        List<String> uris = entries.stream().map(FeedEntry::uri).toList();
        Uni<Map<String, FeedPage.Item>> posts = recentPosts.of(uris);
        Uni<Map<String, PostView.Viewer>> viewerVotes = viewer.isPresent() ? votes.of(viewer.get(), uris) : Uni.createFrom().item(Map.of());
        return Uni.combine().all().unis(posts, viewerVotes).asTuple().map(both -> {
            Map<String, PostView.Viewer> votesByUri = both.getItem2();
            return new FeedPage(uris.stream().map(both.getItem1()::get).filter(Objects::nonNull)
                    .map(item -> votesByUri.containsKey(item.post().uri()) ? new FeedPage.Item(item.post().withViewer(votesByUri.get(item.post().uri()))) : item)
                    .toList(), next);
        });
    }

    private static FeedPage feedPage(List<PostView> posts, Map<String, PostView.Viewer> votesByUri, String next) {
        return new FeedPage(posts.stream().map(p -> new FeedPage.Item(votesByUri.containsKey(p.uri()) ? p.withViewer(votesByUri.get(p.uri())) : p))
                .toList(), next);
    }

    /** The statement of one community or discover page: its SELECT starts with {@link PostRows#COLUMNS}; {@code limit + 1} rows tell if there are more. */
    static Sql sql(FeedScope scope, FeedSort sort, Timeframe timeframe, FeedEntry after, int limit, Optional<String> viewer) {
        if (scope instanceof FeedScope.Timeline) {
            throw new IllegalArgumentException("the timeline is a merge of walks (TimelineWalks), not one statement");
        }
        Sql sql = new Sql();
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
