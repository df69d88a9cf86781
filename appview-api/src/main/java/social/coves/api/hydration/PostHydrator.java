package social.coves.api.hydration;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.posts.PostView;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the post URIs of a page (its skeleton) and an optional viewer into post views: one statement per kind for the
 * whole page (posts, authors, communities, the viewer's votes), never one per post. The viewer's votes are read
 * beside the posts, fresh on every request.
 */
@ApplicationScoped
public class PostHydrator {

    private final PostViewLoader loader;
    private final RecentPostViews recent;
    private final ViewerVotes votes;

    public PostHydrator(PostViewLoader loader, RecentPostViews recent, ViewerVotes votes) {
        this.loader = loader;
        this.recent = recent;
        this.votes = votes;
    }

    /** The listable posts among {@code uris}, read fresh, with the viewer's votes. */
    public Uni<HydratedPosts> posts(List<String> uris, Optional<String> viewer) {
        Uni<Map<String, HydratedPost>> posts = loader.load(uris, PostVisibility.LISTABLE).map(found -> {
            Map<String, HydratedPost> byUri = new HashMap<>();
            found.forEach((uri, view) -> byUri.put(uri, new HydratedPost(view)));
            return byUri;
        });
        return withVotes(posts, uris, viewer);
    }

    /** As {@link #posts}, the posts themselves from the views shared by timelines ({@link RecentPostViews}, up to a ttl old). */
    public Uni<HydratedPosts> recentPosts(List<String> uris, Optional<String> viewer) {
        return withVotes(recent.of(uris), uris, viewer);
    }

    /** The post of a thread, without viewer state: also a deleted one, not one whose author or community is inactive. */
    public Uni<Optional<PostView>> threadRoot(String uri) {
        return loader.load(List.of(uri), PostVisibility.THREAD_ROOT).map(found -> Optional.ofNullable(found.get(uri)));
    }

    private Uni<HydratedPosts> withVotes(Uni<Map<String, HydratedPost>> posts, List<String> uris, Optional<String> viewer) {
        if (viewer.isEmpty() || uris.isEmpty()) {
            return posts.map(HydratedPosts::new);
        }
        return Uni.combine().all().unis(posts, votes.of(viewer.get(), uris)).asTuple().map(both -> {
            Map<String, PostView.Viewer> byUri = both.getItem2();
            Map<String, HydratedPost> hydrated = new HashMap<>(both.getItem1());
            hydrated.replaceAll((uri, post) -> byUri.containsKey(uri) ? post.withViewer(byUri.get(uri)) : post);
            return new HydratedPosts(hydrated);
        });
    }
}
