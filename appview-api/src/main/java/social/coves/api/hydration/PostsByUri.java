package social.coves.api.hydration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.images.ImageUrls;
import social.coves.api.posts.PostRows;
import social.coves.api.posts.PostView;
import social.coves.api.sql.SelectList;
import social.coves.api.json.StoredJson;

import java.util.List;
import java.util.Map;

/** Posts by URI, as their own rows have them (the one statement that reads post rows for views). */
@ApplicationScoped
public class PostsByUri {

    /** The columns of a post row, {@code uri} first (rows are keyed by it). */
    public static final String COLUMNS = """
            p.uri, p.cid, p.rkey, p.author_did, p.community_did, p.title, p.content, p.facets::text AS facets,
            p.embed::text AS embed, p.labels, p.langs, p.tags, p.created_at, p.indexed_at, p.upvotes, p.downvotes, p.score,
            p.comment_count""";

    private static final SelectList AT = new SelectList(COLUMNS);
    private static final int URI = AT.of("uri"), CID = AT.of("cid"), RKEY = AT.of("rkey"), AUTHOR_DID = AT.of("author_did"),
            COMMUNITY_DID = AT.of("community_did"), TITLE = AT.of("title"), CONTENT = AT.of("content"),
            FACETS = AT.of("facets"), EMBED = AT.of("embed"), LABELS = AT.of("labels"), LANGS = AT.of("langs"),
            TAGS = AT.of("tags"), CREATED_AT = AT.of("created_at"), INDEXED_AT = AT.of("indexed_at"),
            UPVOTES = AT.of("upvotes"), DOWNVOTES = AT.of("downvotes"), SCORE = AT.of("score"),
            COMMENT_COUNT = AT.of("comment_count");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HydrationStatements statements;
    private final ImageUrls images;

    public PostsByUri(HydrationStatements statements, ImageUrls images) {
        this.statements = statements;
        this.images = images;
    }

    /** The statement reading {@code $1}'s posts that are {@code visibility}. */
    static String sql(PostVisibility visibility) {
        return "SELECT " + COLUMNS + " FROM appview.posts p WHERE p.uri = ANY($1) AND " + visibility.condition;
    }

    /** The posts among {@code uris} that are {@code visibility}, by URI. */
    Uni<Map<String, PostRow>> of(List<String> uris, PostVisibility visibility) {
        if (uris.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return statements.byFirstColumn(HydrationKind.POSTS, sql(visibility), Tuple.of(uris.toArray(String[]::new)), this::postRow);
    }

    private PostRow postRow(Row r) {
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
        return new PostRow(uri, r.getString(CID), r.getString(RKEY), authorDid, communityDid, record, embed,
                new PostView.Stats(r.getLong(UPVOTES), r.getLong(DOWNVOTES), r.getLong(SCORE), r.getLong(COMMENT_COUNT)),
                createdAt, PostRows.timestamp(r.getOffsetDateTime(INDEXED_AT)));
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
