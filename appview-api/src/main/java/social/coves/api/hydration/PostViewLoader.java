package social.coves.api.hydration;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.posts.PostView;

import java.util.List;
import java.util.Map;

/**
 * Post views without viewer state, read fresh: the posts with their authors and communities joined in, one statement
 * whatever the number of posts ({@link PostsByUri}).
 */
@ApplicationScoped
public class PostViewLoader {

    private final PostsByUri posts;

    public PostViewLoader(PostsByUri posts) {
        this.posts = posts;
    }

    /** The posts among {@code uris} that are {@code visibility}, by URI. */
    public Uni<Map<String, PostView>> load(List<String> uris, PostVisibility visibility) {
        return posts.of(uris, visibility);
    }
}
