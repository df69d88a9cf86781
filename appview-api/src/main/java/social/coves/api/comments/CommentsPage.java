package social.coves.api.comments;

import com.fasterxml.jackson.annotation.JsonInclude;
import social.coves.api.posts.PostView;

import java.util.List;

/** {@code social.coves.community.comment.getComments} output: {@code {"comments", "post", "cursor"?}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommentsPage(List<ThreadViewComment> comments, PostView post, String cursor) {
}
