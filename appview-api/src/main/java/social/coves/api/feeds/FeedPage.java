package social.coves.api.feeds;

import com.fasterxml.jackson.annotation.JsonInclude;
import social.coves.api.posts.PostView;

import java.util.List;

/** {@code {"feed": [{"post": postView}], "cursor"?}}; the cursor is absent on the last page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedPage(List<Item> feed, String cursor) {

    public record Item(PostView post) {
    }
}
