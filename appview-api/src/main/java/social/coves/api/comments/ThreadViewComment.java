package social.coves.api.comments;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** {@code {comment, replies?, hasMore?}}: replies only when some were loaded, hasMore only when true. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThreadViewComment(CommentView comment, List<ThreadViewComment> replies, Boolean hasMore) {
}
