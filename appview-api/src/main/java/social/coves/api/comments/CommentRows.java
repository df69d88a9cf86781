package social.coves.api.comments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.mutiny.sqlclient.Row;
import social.coves.api.posts.PostRows;
import social.coves.api.posts.PostView;

import java.util.Objects;

/** The SELECT list and row mapping shared by every listing that returns comments. */
public final class CommentRows {

    /** Columns of {@code appview.comments c} joined to its author {@code a}; use with {@link #FROM}. */
    public static final String COLUMNS = """
            c.uri, c.cid, c.author_did, a.handle AS author_handle, a.display_name AS author_display_name,
            a.active AS author_active, a.status AS author_status, c.root_uri, c.root_cid, c.parent_uri, c.parent_cid,
            c.content, c.facets, c.embed, c.labels, c.langs, c.created_at, c.indexed_at, c.deleted_at,
            c.upvotes, c.downvotes, c.score, c.reply_count, c.hot_key""";

    public static final String FROM = " FROM appview.comments c LEFT JOIN appview.actors a ON a.did = c.author_did ";

    /** A comment that renders as a placeholder: deleted, or its author's account is not active. */
    public static final String HIDDEN = "(c.deleted_at IS NOT NULL OR a.active IS FALSE)";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CommentRows() {
    }

    public static CommentView view(Row r) {
        String uri = r.getString("uri");
        String rootUri = r.getString("root_uri");
        String parentUri = r.getString("parent_uri");
        CommentView.Ref post = new CommentView.Ref(rootUri, r.getString("root_cid"));
        CommentView.Ref parent = parentUri == null || Objects.equals(parentUri, rootUri) ? null
                : new CommentView.Ref(parentUri, r.getString("parent_cid"));
        String authorDid = r.getString("author_did");
        String createdAt = PostRows.timestamp(r.getOffsetDateTime("created_at"));
        String indexedAt = PostRows.timestamp(r.getOffsetDateTime("indexed_at"));
        long replies = r.getLong("reply_count");
        boolean deleted = r.getOffsetDateTime("deleted_at") != null;
        Boolean active = r.getBoolean("author_active");
        if (deleted || Boolean.FALSE.equals(active)) {
            String reason = deleted ? "author" : "takendown".equals(r.getString("author_status")) ? "moderator" : "author";
            return new CommentView(uri, r.getString("cid"), new PostView.Author(authorDid, "", null), null, post, parent, null,
                    new CommentView.Stats(0, 0, 0, replies), null, createdAt, indexedAt, true, reason,
                    PostRows.timestamp(r.getOffsetDateTime("deleted_at")));
        }
        ObjectNode record = MAPPER.createObjectNode().put("$type", "social.coves.community.comment");
        ObjectNode reply = record.putObject("reply");
        reply.putObject("root").put("uri", rootUri).put("cid", r.getString("root_cid"));
        reply.putObject("parent").put("uri", parentUri).put("cid", r.getString("parent_cid"));
        if (r.getString("content") != null) {
            record.put("content", r.getString("content"));
        }
        JsonNode facets = json(r.getValue("facets"));
        if (facets != null) {
            record.set("facets", facets);
        }
        JsonNode embed = json(r.getValue("embed"));
        if (embed != null) {
            record.set("embed", embed);
        }
        String[] langs = r.getArrayOfStrings("langs");
        if (langs != null && langs.length > 0) {
            ArrayNode array = record.putArray("langs");
            for (String l : langs) {
                array.add(l);
            }
        }
        String[] labels = r.getArrayOfStrings("labels");
        if (labels != null && labels.length > 0) {
            ArrayNode values = record.putObject("labels").put("$type", "com.atproto.label.defs#selfLabels").putArray("values");
            for (String label : labels) {
                values.addObject().put("val", label);
            }
        }
        record.put("createdAt", createdAt);
        String handle = r.getString("author_handle");
        return new CommentView(uri, r.getString("cid"),
                new PostView.Author(authorDid, handle == null ? "handle.invalid" : handle, r.getString("author_display_name")),
                record, post, parent, embed,
                new CommentView.Stats(r.getLong("upvotes"), r.getLong("downvotes"), r.getLong("score"), replies),
                null, createdAt, indexedAt, null, null, null);
    }

    private static JsonNode json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.readTree(value.toString());
        } catch (Exception e) {
            return null;
        }
    }
}
