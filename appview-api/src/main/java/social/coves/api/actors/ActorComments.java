package social.coves.api.actors;

import com.fasterxml.jackson.annotation.JsonInclude;
import social.coves.api.comments.CommentView;

import java.util.List;

/** {@code social.coves.actor.getComments} output: {@code {"comments":[commentView], "cursor"?}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActorComments(List<CommentView> comments, String cursor) {
}
