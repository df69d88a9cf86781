package social.coves.api.actors;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.changes.IndexCacheConfig;
import social.coves.api.changes.IndexChanges;
import social.coves.api.changes.UntilChangedCache;
import social.coves.api.images.ImagePreset;
import social.coves.api.images.ImageUrls;
import social.coves.api.comments.CommentRows;
import social.coves.api.comments.CommentView;
import social.coves.api.cursor.CursorCodec;
import social.coves.api.feeds.FeedPage;
import social.coves.api.hydration.PostHydrator;
import social.coves.api.hydration.PostsByUri;
import social.coves.api.hydration.ViewerVotes;
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
import java.util.Optional;

/**
 * Profiles and a user's own posts and comments. Listings are newest first, keyset on {@code (created_at, uri)}
 * walking {@code posts_author} / {@code comments_author}.
 */
@ApplicationScoped
public class ActorQueries {

    private static final String PROFILE = """
            SELECT a.did, a.shown_handle AS handle, a.display_name, a.bio, a.avatar_cid, a.banner_cid, a.active, a.status, coalesce(a.created_at, a.indexed_at) AS created_at,
                   (SELECT count(*) FROM appview.posts p WHERE p.author_did = a.did AND p.deleted_at IS NULL) AS post_count,
                   (SELECT count(*) FROM appview.comments c WHERE c.author_did = a.did AND c.deleted_at IS NULL) AS comment_count,
                   (SELECT count(DISTINCT s.community_did) FROM appview.subscriptions s WHERE s.subscriber_did = a.did) AS community_count
              FROM appview.actors a
            """;

    private static final String BY_HANDLE = "SELECT did FROM appview.actors WHERE lower(handle) = $1 ORDER BY updated_at DESC LIMIT 1";
    private static final String KNOWN_DID = """
            SELECT EXISTS (SELECT 1 FROM appview.actors WHERE did = $1)
                OR EXISTS (SELECT 1 FROM appview.posts WHERE author_did = $1 AND deleted_at IS NULL)
                OR EXISTS (SELECT 1 FROM appview.comments WHERE author_did = $1 AND deleted_at IS NULL) AS known""";

    public enum PostFilter {
        POSTS_WITH_REPLIES, POSTS_NO_REPLIES, POSTS_WITH_MEDIA;

        public static PostFilter parse(String raw) {
            if (raw == null || raw.isEmpty()) {
                return POSTS_WITH_REPLIES;
            }
            for (PostFilter f : values()) {
                if (f.name().equalsIgnoreCase(raw)) {
                    return f;
                }
            }
            throw XrpcException.invalidRequest("filter must be posts_with_replies, posts_no_replies or posts_with_media");
        }
    }

    private final Pool pool;
    private final ImageUrls images;
    private final CursorCodec cursors;
    private final PostHydrator posts;
    private final ViewerVotes votes;

    /** DIDs known to the index (never the unknown ones: they may appear any moment), until {@link IndexCacheConfig#maxAge()}. */
    private final UntilChangedCache<String, Boolean> knownDids;

    public ActorQueries(Pool pool, CursorCodec cursors, PostHydrator posts, ViewerVotes votes, ImageUrls images,
                        IndexCacheConfig config, IndexChanges changes, MeterRegistry metrics) {
        // an account the index knows stays known (its row is never deleted): nothing but age retires the answer
        this.knownDids = new UntilChangedCache<>("known_actors", config.knownActors(), config, changes, metrics,
                known -> known ? List.of() : null);
        this.images = images;
        this.pool = pool;
        this.cursors = cursors;
        this.posts = posts;
        this.votes = votes;
    }

    /** The profile of a known, active account. */
    public Uni<Optional<ProfileView>> profile(ActorIdentifier id) {
        Uni<io.vertx.mutiny.sqlclient.RowSet<Row>> rows = id.did() != null
                ? pool.preparedQuery(PROFILE + " WHERE a.did = $1").execute(Tuple.of(id.did()))
                : pool.preparedQuery(PROFILE + " WHERE a.did = (" + BY_HANDLE + ")").execute(Tuple.of(id.handle()));
        return rows.map(set -> {
            if (!set.iterator().hasNext()) {
                return Optional.empty();
            }
            Row r = set.iterator().next();
            if (!r.getBoolean("active")) {
                return Optional.empty();
            }
            String bio = r.getString("bio");
            return Optional.of(new ProfileView(r.getString("did"), r.getString("handle"), r.getString("display_name"), bio, bio,
                    images.url(ImagePreset.AVATAR, r.getString("did"), r.getString("avatar_cid")),
                    images.url(ImagePreset.BANNER, r.getString("did"), r.getString("banner_cid")),
                    PostRows.timestamp(r.getOffsetDateTime("created_at")),
                    new ProfileView.Stats(r.getLong("post_count"), r.getLong("comment_count"), r.getLong("community_count"), 0, 0)));
        });
    }

    /** The DID of an actor we know of: a handle must be indexed; a DID must have an account row or content. */
    public Uni<Optional<String>> resolve(ActorIdentifier id) {
        if (id.did() != null) {
            return knownDids.get(id.did(), did -> pool.preparedQuery(KNOWN_DID).execute(Tuple.of(did))
                            .map(set -> set.iterator().next().getBoolean("known")))
                    .map(known -> known ? Optional.of(id.did()) : Optional.empty());
        }
        return pool.preparedQuery(BY_HANDLE).execute(Tuple.of(id.handle()))
                .map(set -> set.iterator().hasNext() ? Optional.of(set.iterator().next().getString("did")) : Optional.empty());
    }

    public Uni<FeedPage> posts(String did, PostFilter filter, Optional<String> communityDid, int limit, String cursor,
                               Optional<String> viewer) {
        String kind = "actor.posts|" + did + "|" + filter.name() + "|" + communityDid.orElse("");
        Sql sql = new Sql().append("SELECT " + PostsByUri.COLUMNS + PostsByUri.FROM + "WHERE " + PostRows.VISIBLE);
        sql.append(" AND p.author_did = " + sql.bind(did));
        communityDid.ifPresent(c -> sql.append(" AND p.community_did = " + sql.bind(c)));
        if (filter == PostFilter.POSTS_WITH_MEDIA) {
            sql.append(" AND p.embed IS NOT NULL");
        }
        newestFirst(sql, "p.", kind, cursor);
        sql.append(" LIMIT " + sql.bind(limit + 1));
        // the page's posts in the listing's own statement (one round trip, not keys then posts)
        return posts.pageRows(sql.text(), sql.tuple()).chain(list -> {
            boolean more = list.size() > limit;
            List<Row> page = more ? list.subList(0, limit) : list;
            String next = more ? next(kind, page.getLast()) : null;
            return posts.views(page, viewer).map(hydrated -> FeedPage.of(hydrated, next));
        });
    }

    public Uni<ActorComments> comments(String did, Optional<String> communityDid, int limit, String cursor, Optional<String> viewer) {
        String kind = "actor.comments|" + did + "|" + communityDid.orElse("");
        Sql sql = new Sql().append("SELECT ").append(CommentRows.COLUMNS).append(CommentRows.FROM);
        sql.append("WHERE c.author_did = " + sql.bind(did) + " AND c.deleted_at IS NULL AND a.active IS NOT FALSE");
        communityDid.ifPresent(c -> sql.append(" AND EXISTS (SELECT 1 FROM appview.posts rp WHERE rp.uri = c.root_uri AND rp.community_did = "
                + sql.bind(c) + ")"));
        newestFirst(sql, "c.", kind, cursor);
        sql.append(" LIMIT " + sql.bind(limit + 1));
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).chain(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            boolean more = list.size() > limit;
            List<Row> page = more ? list.subList(0, limit) : list;
            List<CommentView> comments = page.stream().map(CommentRows::view).toList();
            String next = more ? next(kind, page.getLast()) : null;
            if (viewer.isEmpty()) {
                return Uni.createFrom().item(new ActorComments(comments, next));
            }
            return votes.of(viewer.get(), comments.stream().map(CommentView::uri).toList()).map(byUri -> new ActorComments(
                    comments.stream().map(c -> c.withViewer(byUri.getOrDefault(c.uri(), new PostView.Viewer(null, null)))).toList(), next));
        });
    }

    private void newestFirst(Sql sql, String alias, String kind, String cursor) {
        if (cursor != null && !cursor.isEmpty()) {
            List<String> after = cursors.decode(kind, cursor, 2);
            try {
                sql.append(" AND (" + alias + "created_at, " + alias + "uri) < (" + sql.bind(OffsetDateTime.parse(after.get(0))) + ", "
                        + sql.bind(after.get(1)) + ")");
            } catch (DateTimeParseException e) {
                throw CursorCodec.invalid("it is malformed");
            }
        }
        sql.append(" ORDER BY " + alias + "created_at DESC, " + alias + "uri DESC");
    }

    private String next(String kind, Row last) {
        OffsetDateTime created = last.getOffsetDateTime("created_at");
        return cursors.encode(kind, List.of((created == null ? Instant.EPOCH.atOffset(ZoneOffset.UTC) : created).toString(),
                last.getString("uri")));
    }
}
