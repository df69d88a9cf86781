package social.coves.api.communities;

import io.smallrye.mutiny.Uni;
import io.micrometer.core.instrument.MeterRegistry;
import social.coves.api.changes.IndexCacheConfig;
import social.coves.api.changes.IndexChanges;
import social.coves.api.changes.UntilChangedCache;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.images.ImagePreset;
import social.coves.api.images.ImageUrls;
import social.coves.api.cursor.CursorCodec;
import social.coves.api.posts.PostRows;
import social.coves.api.sql.Sql;
import social.coves.api.xrpc.XrpcException;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Community listings with keyset cursors (no OFFSET): {@code community.list} walks one index per sort,
 * {@code community.search} ranks trigram matches and pages on {@code (rank, did)}, {@code getSubscribers} walks
 * {@code subscriptions_community} in DID order. Communities whose account is inactive are left out, and so are
 * communities whose did:web {@code hostedBy} was refused (except in the viewer's own {@code subscribed=true} list).
 */
@ApplicationScoped
public class CommunityListQueries {

    private static final String VIEW_COLUMNS = """
            c.did, a.shown_handle AS handle, c.name, c.display_name, c.avatar_cid, c.visibility, c.subscriber_count, c.member_count, c.post_count, c.created_at""";
    private static final String FROM = " FROM appview.communities c LEFT JOIN appview.actors a ON a.did = c.did WHERE a.active IS NOT FALSE";
    /** Discovery leaves out communities whose did:web hostedBy was refused (pending and verified ones are listed). */
    private static final String HOSTING_NOT_REFUSED = " AND c.hosted_by_verified IS NOT FALSE";

    private final Pool pool;
    private final ImageUrls images;
    private final CursorCodec cursors;
    private final CommunityViewerState viewerState;
    private final UntilChangedCache<ListingKey, CommunityPages.Listing> listings;

    public CommunityListQueries(Pool pool, CursorCodec cursors, ImageUrls images, CommunityViewerState viewerState,
                                IndexCacheConfig config, IndexChanges changes, MeterRegistry metrics) {
        this.viewerState = viewerState;
        this.listings = new UntilChangedCache<>("community_listings", config.communityListings(), config, changes, metrics,
                listing -> List.of(IndexChanges.COMMUNITIES));
        this.images = images;
        this.pool = pool;
        this.cursors = cursors;
    }

    /** The viewer subscribes to community {@code c}: the index, with what they just did through this AppView over it. */
    private static String subscribes(String viewer) {
        return CommunityViewerState.subscribes(viewer, "c.did");
    }

    /** One page of a listing that is the same for every viewer (not {@code subscribed=true}); the cursor as sent. */
    record ListingKey(CommunityListSort sort, Optional<String> visibility, int limit, String cursor) {
    }

    /**
     * {@code community.list}. A listing of all communities is kept without viewer state until some community changes
     * ({@link UntilChangedCache}, key {@link IndexChanges#COMMUNITIES}) and the viewer's subscriptions and blocks of
     * its communities are read per request; the viewer's own subscriptions are read from the index every time.
     */
    public Uni<CommunityPages.Listing> list(CommunityListSort sort, Optional<String> visibility, boolean subscribedOnly,
                                            int limit, String cursor, Optional<String> viewer) {
        if (subscribedOnly) {
            return fromIndex(sort, visibility, true, limit, cursor, viewer);
        }
        return listings.get(new ListingKey(sort, visibility, limit, cursor == null ? "" : cursor),
                        k -> fromIndex(sort, visibility, false, limit, cursor, Optional.empty()))
                .chain(listing -> viewer.isEmpty() ? Uni.createFrom().item(listing)
                        : viewerState.of(viewer.get(), listing.communities().stream().map(CommunityView::did).toList())
                                .map(state -> new CommunityPages.Listing(listing.communities().stream()
                                        .map(c -> c.withViewer(state.getOrDefault(c.did(), new CommunityView.Viewer(false, false)))).toList(),
                                        listing.cursor())));
    }

    private Uni<CommunityPages.Listing> fromIndex(CommunityListSort sort, Optional<String> visibility, boolean subscribedOnly,
                                                  int limit, String cursor, Optional<String> viewer) {
        String kind = "community.list|" + sort.key();
        Sql sql = new Sql().append("SELECT ").append(VIEW_COLUMNS);
        String v = viewer.map(sql::bind).orElse(null);
        if (v != null) {
            sql.append(", " + subscribes(v) + " AS subscribed, " + CommunityViewerState.blocks(v, "c.did") + " AS blocked");
        }
        sql.append(FROM);
        visibility.ifPresent(vis -> sql.append(" AND c.visibility = " + sql.bind(vis)));
        if (subscribedOnly) {
            sql.append(" AND " + subscribes(v));
        } else {
            sql.append(HOSTING_NOT_REFUSED);
        }
        if (sort == CommunityListSort.NEW) {
            sql.append(" AND c.created_at IS NOT NULL");
        }
        if (cursor != null && !cursor.isEmpty()) {
            List<String> after = cursors.decode(kind, cursor, 2);
            try {
                String key = switch (sort) {
                    case POPULAR -> sql.bind(Long.parseLong(after.get(0)));
                    case ACTIVE -> sql.bind(Long.parseLong(after.get(0)));
                    case NEW -> sql.bind(OffsetDateTime.parse(after.get(0)));
                    case ALPHABETICAL -> sql.bind(after.get(0));
                };
                String did = sql.bind(after.get(1));
                sql.append(switch (sort) {
                    case POPULAR -> " AND (c.subscriber_count, c.did) < (" + key + ", " + did + ")";
                    case ACTIVE -> " AND (c.post_count, c.did) < (" + key + ", " + did + ")";
                    case NEW -> " AND (c.created_at, c.did) < (" + key + ", " + did + ")";
                    case ALPHABETICAL -> " AND (c.name, c.did) > (" + key + ", " + did + ")";
                });
            } catch (NumberFormatException | DateTimeParseException e) {
                throw CursorCodec.invalid("it is malformed");
            }
        }
        sql.append(" ORDER BY ").append(sort.orderBy).append(" LIMIT " + sql.bind(limit + 1));
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).map(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            boolean more = list.size() > limit;
            List<Row> page = more ? list.subList(0, limit) : list;
            String next = null;
            if (more) {
                Row last = page.getLast();
                next = cursors.encode(kind, List.of(switch (sort) {
                    case POPULAR -> Long.toString(last.getLong("subscriber_count"));
                    case ACTIVE -> Long.toString(last.getLong("post_count"));
                    case NEW -> last.getOffsetDateTime("created_at").toString();
                    case ALPHABETICAL -> last.getString("name");
                }, last.getString("did")));
            }
            return new CommunityPages.Listing(page.stream().map(r -> view(r, v != null)).toList(), next);
        });
    }

    public Uni<CommunityPages.Search> search(String q, Optional<String> visibility, int limit, String cursor) {
        String kind = "community.search|" + Integer.toHexString(q.hashCode()) + "|" + visibility.orElse("");
        Sql sql = new Sql();
        String match = match(sql, q, visibility);
        Sql count = new Sql();
        String countMatch = match(count, q, visibility);
        count.append("SELECT count(*) AS total").append(FROM).append(countMatch);
        String query = sql.bind(q);
        sql.append("SELECT * FROM (SELECT ").append(VIEW_COLUMNS).append(", greatest(public.similarity(c.name, " + query
                        + "), public.similarity(coalesce(c.display_name, ''), " + query
                        + "), 0.5 * public.word_similarity(" + query + ", coalesce(c.description, '')))::float8 AS rank")
                .append(FROM).append(match).append(") s");
        if (cursor != null && !cursor.isEmpty()) {
            List<String> after = cursors.decode(kind, cursor, 2);
            try {
                sql.append(" WHERE (s.rank, s.did) < (" + sql.bind(Double.parseDouble(after.get(0))) + "::float8, "
                        + sql.bind(after.get(1)) + ")");
            } catch (NumberFormatException e) {
                throw CursorCodec.invalid("it is malformed");
            }
        }
        sql.append(" ORDER BY s.rank DESC, s.did DESC LIMIT " + sql.bind(limit + 1));
        Uni<Long> total = pool.preparedQuery(count.text()).execute(count.tuple()).map(rows -> rows.iterator().next().getLong("total"));
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).chain(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            boolean more = list.size() > limit;
            List<Row> page = more ? list.subList(0, limit) : list;
            String next = more ? cursors.encode(kind, List.of(Double.toString(page.getLast().getDouble("rank")),
                    page.getLast().getString("did"))) : null;
            List<CommunityView> views = page.stream().map(r -> view(r, false)).toList();
            return total.map(t -> new CommunityPages.Search(views, next, t));
        });
    }

    /** Trigram similarity on name / display name, or the query as a substring of name, display name or description. */
    private static String match(Sql sql, String q, Optional<String> visibility) {
        String query = sql.bind(q);
        String pattern = sql.bind("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        String m = " AND (c.name OPERATOR(public.%) " + query + " OR c.display_name OPERATOR(public.%) " + query
                + " OR c.name ILIKE " + pattern + " OR c.display_name ILIKE " + pattern + " OR c.description ILIKE " + pattern + ")";
        if (visibility.isPresent()) {
            m += " AND c.visibility = " + sql.bind(visibility.get());
        }
        return m + HOSTING_NOT_REFUSED;
    }

    /** Distinct subscribers of a community in DID order (one row per subscriber, earliest subscription time). */
    public Uni<CommunityPages.Subscribers> subscribers(String communityDid, int limit, String cursor) {
        String kind = "community.subscribers|" + communityDid;
        Sql sql = new Sql();
        String community = sql.bind(communityDid);
        String after = "";
        if (cursor != null && !cursor.isEmpty()) {
            after = " AND s.subscriber_did > " + sql.bind(cursors.decode(kind, cursor, 1).getFirst());
        }
        sql.append("SELECT x.did, x.subscribed_at, a.shown_handle AS handle, a.display_name, a.avatar_cid FROM (SELECT s.subscriber_did AS did, "
                + "min(coalesce(s.created_at, s.indexed_at)) AS subscribed_at FROM appview.subscriptions s WHERE s.community_did = "
                + community + after + " AND NOT EXISTS (SELECT 1 FROM appview.actors i WHERE i.did = s.subscriber_did AND NOT i.active)"
                + " GROUP BY s.subscriber_did ORDER BY s.subscriber_did LIMIT " + sql.bind(limit + 1) + ") x"
                + " LEFT JOIN appview.actors a ON a.did = x.did ORDER BY x.did");
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).map(rows -> {
            List<CommunityPages.Subscriber> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new CommunityPages.Subscriber(r.getString("did"), r.getString("handle"), r.getString("display_name"),
                        images.url(ImagePreset.AVATAR_SMALL, r.getString("did"), r.getString("avatar_cid")), PostRows.timestamp(r.getOffsetDateTime("subscribed_at")), false));
            }
            boolean more = list.size() > limit;
            List<CommunityPages.Subscriber> page = more ? list.subList(0, limit) : list;
            return new CommunityPages.Subscribers(page, more ? cursors.encode(kind, List.of(page.getLast().did())) : null);
        });
    }

    private CommunityView view(Row r, boolean withViewer) {
        String handle = r.getString("handle");
        String name = r.getString("name");
        return new CommunityView(r.getString("did"), handle, name, r.getString("display_name"),
                CommunityQueries.displayHandle(name, handle),
                images.url(ImagePreset.AVATAR_SMALL, r.getString("did"), r.getString("avatar_cid")), r.getString("visibility"), r.getLong("subscriber_count"),
                r.getLong("member_count"), r.getLong("post_count"),
                withViewer ? new CommunityView.Viewer(r.getBoolean("subscribed"), r.getBoolean("blocked")) : null);
    }
}
