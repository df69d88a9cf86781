package social.coves.api.comments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * {@code {comment, replies?, hasMore?}}: replies only when some were loaded, hasMore only when true. A reply is a
 * member of the lexicon's union {@code #threadViewComment | #notFoundComment | #blockedComment}, so it names its type;
 * a top-level comment (a plain ref) does not.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThreadViewComment(@JsonProperty("$type") String type, CommentView comment, List<ThreadViewComment> replies,
                                Boolean hasMore) {

    static final String TYPE = "social.coves.community.comment.defs#threadViewComment";

    static ThreadViewComment topLevel(CommentView comment, List<ThreadViewComment> replies, Boolean hasMore) {
        return new ThreadViewComment(null, comment, replies, hasMore);
    }

    static ThreadViewComment reply(CommentView comment, List<ThreadViewComment> replies, Boolean hasMore) {
        return new ThreadViewComment(TYPE, comment, replies, hasMore);
    }
}
