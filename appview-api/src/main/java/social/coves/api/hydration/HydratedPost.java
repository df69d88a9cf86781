package social.coves.api.hydration;

import com.fasterxml.jackson.core.SerializableString;
import social.coves.api.posts.PostView;

/**
 * A post's view; {@code rendered}, when set, is that view already serialised (a cached view without viewer state,
 * {@link RecentPostViews}), to be copied into a response instead of written field by field again.
 */
public record HydratedPost(PostView view, SerializableString rendered) {

    HydratedPost(PostView view) {
        this(view, null);
    }

    /** This post with the viewer's vote; a view with viewer state is never the cached rendering. */
    HydratedPost withViewer(PostView.Viewer viewer) {
        return new HydratedPost(view.withViewer(viewer), null);
    }
}
