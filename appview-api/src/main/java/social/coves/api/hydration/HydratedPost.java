package social.coves.api.hydration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import social.coves.api.posts.PostView;

/**
 * A post's view; {@code rendered}, when set, is that view already serialised (a cached view without viewer state,
 * {@link RecentPostViews}, a kept community feed page), to be copied into a response instead of written field by
 * field again.
 */
public record HydratedPost(PostView view, SerializableString rendered) {

    HydratedPost(PostView view) {
        this(view, null);
    }

    /** A view without viewer state, serialised once now (for views that are kept and served many times). */
    static HydratedPost rendered(PostView view, ObjectMapper json) {
        try {
            return new HydratedPost(view, new SerializedString(json.writeValueAsString(view)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + view.uri(), e);
        }
    }

    /** This post with the viewer's vote; a view with viewer state is never the cached rendering. */
    HydratedPost withViewer(PostView.Viewer viewer) {
        return new HydratedPost(view.withViewer(viewer), null);
    }
}
