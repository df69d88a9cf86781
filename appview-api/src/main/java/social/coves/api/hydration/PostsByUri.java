package social.coves.api.hydration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.images.ImagePreset;
import social.coves.api.images.ImageUrls;
import social.coves.api.posts.PostRows;
import social.coves.api.posts.PostView;
import social.coves.api.sql.SelectList;
import social.coves.api.json.StoredJson;

import java.util.List;
import java.util.Map;

/**
 * Posts by URI with their authors and communities joined in (the one statement that reads post rows for views), and
 * the same columns and joins for the listings that read a whole page of posts in their own ordered statement.
 */
@ApplicationScoped
public class PostsByUri {

    /**
     * The columns of a post row with its author ({@code aa}: the handle shown — the verified one, else none and so
     * {@code handle.invalid} —, the display name, whether the account declared itself an aggregator) and its community
     * ({@code c}, {@code ca}: name, the handle shown, the avatar); {@code uri} first (rows are keyed by it). Use with
     * {@link #FROM}.
     */
    public static final String COLUMNS = """
            p.uri, p.cid, p.rkey, p.author_did, aa.shown_handle AS author_handle, aa.display_name AS author_display_name,
            p.community_did, c.name AS community_name, ca.shown_handle AS community_handle, c.avatar_cid AS community_avatar_cid, p.title, p.content,
            p.facets::text AS facets, p.embed::text AS embed, p.labels, p.langs, p.tags, p.created_at, p.indexed_at, p.upvotes,
            p.downvotes, p.score, p.comment_count, p.hot_key,
            EXISTS (SELECT 1 FROM appview.aggregator_services g WHERE g.did = p.author_did) AS author_is_aggregator""";

    /**
     * The posts {@code p} with their authors' rows (absent ones null) and their communities' rows; callers continue with
     * {@code WHERE}. A post whose community is not indexed (yet: its profile may come later, or no longer) has no view —
     * the lexicon's {@code communityRef} requires the community's name — and is shown once the community is indexed.
     */
    public static final String FROM = """
             FROM appview.posts p
             LEFT JOIN appview.actors aa ON aa.did = p.author_did
             JOIN appview.communities c ON c.did = p.community_did
             LEFT JOIN appview.actors ca ON ca.did = p.community_did
            """;

    private static final SelectList AT = new SelectList(COLUMNS);
    private static final int URI = AT.of("uri"), CID = AT.of("cid"), RKEY = AT.of("rkey"), AUTHOR_DID = AT.of("author_did"),
            AUTHOR_HANDLE = AT.of("author_handle"), AUTHOR_DISPLAY_NAME = AT.of("author_display_name"),
            COMMUNITY_DID = AT.of("community_did"), COMMUNITY_NAME = AT.of("community_name"),
            COMMUNITY_HANDLE = AT.of("community_handle"), COMMUNITY_AVATAR_CID = AT.of("community_avatar_cid"),
            TITLE = AT.of("title"), CONTENT = AT.of("content"), FACETS = AT.of("facets"), EMBED = AT.of("embed"),
            LABELS = AT.of("labels"), LANGS = AT.of("langs"), TAGS = AT.of("tags"), CREATED_AT = AT.of("created_at"),
            INDEXED_AT = AT.of("indexed_at"), UPVOTES = AT.of("upvotes"), DOWNVOTES = AT.of("downvotes"), SCORE = AT.of("score"),
            COMMENT_COUNT = AT.of("comment_count"), AUTHOR_IS_AGGREGATOR = AT.of("author_is_aggregator");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HydrationStatements statements;
    private final ImageUrls images;

    public PostsByUri(HydrationStatements statements, ImageUrls images) {
        this.statements = statements;
        this.images = images;
    }

    /** The statement reading {@code $1}'s posts (an array of URIs) that are {@code visibility}. */
    static String sql(PostVisibility visibility) {
        return "SELECT " + COLUMNS + FROM + "WHERE p.uri = ANY($1) AND " + visibility.condition;
    }

    /**
     * As {@link #sql}, for the one post {@code $1} (a URI, not an array): a thread's post is asked alone, and its
     * prepared statement's generic plan then is the one-row index look-up with nested-loop joins, not a plan for an
     * array of unknown size (measured: the thread row of the mix at half its throughput with {@code = ANY}).
     */
    static String sqlOne(PostVisibility visibility) {
        return "SELECT " + COLUMNS + FROM + "WHERE p.uri = $1 AND " + visibility.condition;
    }

    /** The post {@code uri} if it is {@code visibility}, in one statement. */
    Uni<Map<String, PostView>> one(String uri, PostVisibility visibility) {
        return statements.byFirstColumn(HydrationKind.POSTS, sqlOne(visibility), Tuple.of(uri), this::view);
    }

    /** The posts among {@code uris} that are {@code visibility}, by URI, in one statement. */
    Uni<Map<String, PostView>> of(List<String> uris, PostVisibility visibility) {
        if (uris.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return statements.byFirstColumn(HydrationKind.POSTS, sql(visibility), Tuple.of(uris.toArray(String[]::new)), this::view);
    }

    /** The view (without viewer state) of a row whose SELECT starts with {@link #COLUMNS}. */
    PostView view(Row r) {
        String uri = r.getString(URI);
        String communityDid = r.getString(COMMUNITY_DID);
        String authorDid = r.getString(AUTHOR_DID);
        ObjectNode record = MAPPER.createObjectNode().put("$type", "social.coves.community.post")
                .put("community", communityDid).put("author", authorDid);
        putIfPresent(record, "title", r.getString(TITLE));
        putIfPresent(record, "content", r.getString(CONTENT));
        StoredJson.putRaw(record, "facets", r.getString(FACETS));
        JsonNode embed = images.withThumbUrl(StoredJson.parse(r.getString(EMBED)), repoDid(uri));
        if (embed != null) {
            record.set("embed", embed);
        }
        String[] labels = r.getArrayOfStrings(LABELS);
        if (labels != null && labels.length > 0) {
            ObjectNode selfLabels = record.putObject("labels").put("$type", "com.atproto.label.defs#selfLabels");
            ArrayNode values = selfLabels.putArray("values");
            for (String label : labels) {
                values.addObject().put("val", label);
            }
        }
        stringArray(record, "langs", r.getArrayOfStrings(LANGS));
        stringArray(record, "tags", r.getArrayOfStrings(TAGS));
        String createdAt = PostRows.timestamp(r.getOffsetDateTime(CREATED_AT));
        record.put("createdAt", createdAt);
        String handle = r.getString(AUTHOR_HANDLE);
        return new PostView(uri, r.getString(CID), r.getString(RKEY),
                new PostView.Author(authorDid, handle == null ? PostView.Author.INVALID_HANDLE : handle, r.getString(AUTHOR_DISPLAY_NAME),
                        r.getBoolean(AUTHOR_IS_AGGREGATOR) ? Boolean.TRUE : null),
                new PostView.CommunityRef(communityDid, r.getString(COMMUNITY_HANDLE), r.getString(COMMUNITY_NAME),
                        images.url(ImagePreset.AVATAR_SMALL, communityDid, r.getString(COMMUNITY_AVATAR_CID))),
                record, embed,
                new PostView.Stats(r.getLong(UPVOTES), r.getLong(DOWNVOTES), r.getLong(SCORE), r.getLong(COMMENT_COUNT)),
                null, createdAt, PostRows.timestamp(r.getOffsetDateTime(INDEXED_AT)));
    }

    /** The repository (and so blob owner) of an {@code at://did/collection/rkey} URI. */
    private static String repoDid(String uri) {
        int end = uri.indexOf('/', "at://".length());
        return end < 0 ? null : uri.substring("at://".length(), end);
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void stringArray(ObjectNode node, String field, String[] values) {
        if (values != null && values.length > 0) {
            ArrayNode array = node.putArray(field);
            for (String v : values) {
                array.add(v);
            }
        }
    }
}
