package social.coves.api.comments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import social.coves.api.posts.PostView;

/**
 * {@code social.coves.community.comment.defs#commentView}, plus the placeholder fields Coves emits for a comment that
 * is gone ({@code isDeleted}, {@code deletionReason}, {@code deletedAt}; {@code record} is then an empty object and the
 * author's handle {@code handle.invalid}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommentView(String uri, String cid, PostView.Author author,
                          @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode record,
                          Ref post, Ref parent, JsonNode embed, Stats stats, PostView.Viewer viewer,
                          String createdAt, String indexedAt,
                          @JsonProperty("isDeleted") Boolean isDeleted, String deletionReason, String deletedAt) {

    public record Ref(String uri, String cid) {
    }

    public record Stats(long upvotes, long downvotes, long score, long replyCount) {
    }

    public boolean placeholder() {
        return Boolean.TRUE.equals(isDeleted);
    }

    public CommentView withViewer(PostView.Viewer v) {
        return new CommentView(uri, cid, author, record, post, parent, embed, stats, v, createdAt, indexedAt, isDeleted,
                deletionReason, deletedAt);
    }
}
