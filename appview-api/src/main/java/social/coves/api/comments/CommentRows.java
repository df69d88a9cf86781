package social.coves.api.comments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.mutiny.sqlclient.Row;
import social.coves.api.json.StoredJson;
import social.coves.api.posts.PostRows;
import social.coves.api.sql.SelectList;
import social.coves.api.posts.PostView;

import java.util.Objects;

/** The SELECT list and row mapping shared by every listing that returns comments. */
public final class CommentRows {

    /** Columns of {@code appview.comments c} joined to its author {@code a}; use with {@link #FROM}. */
    public static final String COLUMNS = """
            c.uri, c.cid, c.author_did, a.shown_handle AS author_handle, a.display_name AS author_display_name,
            a.active AS author_active, a.status AS author_status, c.root_uri, c.root_cid, c.parent_uri, c.parent_cid,
            c.content, c.facets::text AS facets, c.embed::text AS embed, c.labels, c.langs, c.created_at, c.indexed_at,
            c.deleted_at, c.upvotes, c.downvotes, c.score, c.reply_count, c.hot_key,
            (SELECT r.parent_cid FROM appview.comments r WHERE c.cid IS NULL AND r.parent_uri = c.uri LIMIT 1) AS replied_cid""";

    private static final SelectList AT = new SelectList(COLUMNS);
    private static final int URI = AT.of("uri"), CID = AT.of("cid"), AUTHOR_DID = AT.of("author_did"),
            AUTHOR_HANDLE = AT.of("author_handle"), AUTHOR_DISPLAY_NAME = AT.of("author_display_name"),
            AUTHOR_ACTIVE = AT.of("author_active"), AUTHOR_STATUS = AT.of("author_status"), ROOT_URI = AT.of("root_uri"),
            ROOT_CID = AT.of("root_cid"), PARENT_URI = AT.of("parent_uri"), PARENT_CID = AT.of("parent_cid"),
            CONTENT = AT.of("content"), FACETS = AT.of("facets"), EMBED = AT.of("embed"), LABELS = AT.of("labels"),
            LANGS = AT.of("langs"), CREATED_AT = AT.of("created_at"), INDEXED_AT = AT.of("indexed_at"),
            DELETED_AT = AT.of("deleted_at"), UPVOTES = AT.of("upvotes"), DOWNVOTES = AT.of("downvotes"),
            SCORE = AT.of("score"), REPLY_COUNT = AT.of("reply_count"), REPLIED_CID = AT.of("replied_cid");

    public static final String FROM = " FROM appview.comments c LEFT JOIN appview.actors a ON a.did = c.author_did ";

    /** A comment that renders as a placeholder: deleted, or its author's account is not active. */
    public static final String HIDDEN = "(c.deleted_at IS NOT NULL OR a.active IS FALSE)";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CommentRows() {
    }

    /** A row of a query whose SELECT starts with {@link #COLUMNS}. */
    public static CommentView view(Row r) {
        String uri = r.getString(URI);
        String rootUri = r.getString(ROOT_URI);
        String parentUri = r.getString(PARENT_URI);
        CommentView.Ref post = new CommentView.Ref(rootUri, r.getString(ROOT_CID));
        CommentView.Ref parent = parentUri == null || Objects.equals(parentUri, rootUri) ? null
                : new CommentView.Ref(parentUri, r.getString(PARENT_CID));
        String authorDid = r.getString(AUTHOR_DID);
        String createdAt = PostRows.timestamp(r.getOffsetDateTime(CREATED_AT));
        String indexedAt = PostRows.timestamp(r.getOffsetDateTime(INDEXED_AT));
        long replies = r.getLong(REPLY_COUNT);
        boolean deleted = r.getOffsetDateTime(DELETED_AT) != null;
        Boolean active = r.getBoolean(AUTHOR_ACTIVE);
        if (deleted || Boolean.FALSE.equals(active)) {
            String reason = deleted ? "author" : "takendown".equals(r.getString(AUTHOR_STATUS)) ? "moderator" : "author";
            // still a valid commentView (the thread keeps its shape): a deleted record's CID is forgotten by the index,
            // but its replies name the version they answered; no author handle, and an empty record
            String cid = r.getString(CID) != null ? r.getString(CID) : r.getString(REPLIED_CID);
            return new CommentView(uri, cid, new PostView.Author(authorDid, PostView.Author.INVALID_HANDLE, null),
                    MAPPER.createObjectNode(), post, parent, null, new CommentView.Stats(0, 0, 0, replies), null, createdAt,
                    indexedAt, true, reason, PostRows.timestamp(r.getOffsetDateTime(DELETED_AT)));
        }
        ObjectNode record = MAPPER.createObjectNode().put("$type", "social.coves.community.comment");
        ObjectNode reply = record.putObject("reply");
        reply.putObject("root").put("uri", rootUri).put("cid", r.getString(ROOT_CID));
        reply.putObject("parent").put("uri", parentUri).put("cid", r.getString(PARENT_CID));
        String content = r.getString(CONTENT);
        if (content != null) {
            record.put("content", content);
        }
        StoredJson.putRaw(record, "facets", r.getString(FACETS));
        JsonNode embed = StoredJson.parse(r.getString(EMBED));
        if (embed != null) {
            record.set("embed", embed);
        }
        String[] langs = r.getArrayOfStrings(LANGS);
        if (langs != null && langs.length > 0) {
            ArrayNode array = record.putArray("langs");
            for (String l : langs) {
                array.add(l);
            }
        }
        String[] labels = r.getArrayOfStrings(LABELS);
        if (labels != null && labels.length > 0) {
            ArrayNode values = record.putObject("labels").put("$type", "com.atproto.label.defs#selfLabels").putArray("values");
            for (String label : labels) {
                values.addObject().put("val", label);
            }
        }
        record.put("createdAt", createdAt);
        String handle = r.getString(AUTHOR_HANDLE);
        return new CommentView(uri, r.getString(CID),
                new PostView.Author(authorDid, handle == null ? PostView.Author.INVALID_HANDLE : handle, r.getString(AUTHOR_DISPLAY_NAME)),
                record, post, parent, embed,
                new CommentView.Stats(r.getLong(UPVOTES), r.getLong(DOWNVOTES), r.getLong(SCORE), replies),
                null, createdAt, indexedAt, null, null, null);
    }
}
