package social.coves.api.hydration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.posts.PostView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the post URIs of a page (its skeleton) and an optional viewer into post views: one statement per kind for the
 * whole page (the posts with their authors and communities joined in, the viewer's votes), never one per post. The
 * viewer's votes are read beside the posts (sent together, not one after the other), fresh on every request. Listings
 * whose order is a statement of their own (community and discover feeds, an author's posts) read their page's posts in
 * that statement ({@link #pageRows}), so a page costs one round trip, and the viewer's votes one more.
 */
@ApplicationScoped
public class PostHydrator {

    private final PostViewLoader loader;
    private final PostsByUri rows;
    private final HydrationStatements statements;
    private final RecentPostViews recent;
    private final ViewerVotes votes;
    private final ObjectMapper json;

    public PostHydrator(PostViewLoader loader, PostsByUri rows, HydrationStatements statements, RecentPostViews recent,
                        ViewerVotes votes, ObjectMapper json) {
        this.json = json;
        this.loader = loader;
        this.rows = rows;
        this.statements = statements;
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

    /**
     * The rows of a listing that reads its page in its own ordered statement — {@code SELECT }{@link PostsByUri#COLUMNS}
     * {@link PostsByUri#FROM}{@code WHERE ...} — so a page is one statement, not its keys then its posts; turn the rows
     * kept into views with {@link #views}.
     */
    public Uni<List<Row>> pageRows(String sql, Tuple args) {
        return statements.execute(HydrationKind.POSTS, sql, args).map(found -> {
            List<Row> list = new ArrayList<>();
            found.forEach(list::add);
            return list;
        });
    }

    /** The views of rows read by {@link #pageRows}, in their order, with the viewer's votes (one statement). */
    public Uni<List<HydratedPost>> views(List<Row> page, Optional<String> viewer) {
        Map<String, HydratedPost> byUri = new HashMap<>();
        List<String> uris = new ArrayList<>(page.size());
        for (Row r : page) {
            PostView view = rows.view(r);
            byUri.put(view.uri(), new HydratedPost(view));
            uris.add(view.uri());
        }
        return withVotes(Uni.createFrom().item(byUri), uris, viewer).map(hydrated -> hydrated.inOrder(uris));
    }

    /** The views of rows read by {@link #pageRows}, in their order, without viewer state, each serialised once: to be kept. */
    public List<HydratedPost> renderedViews(List<Row> page) {
        List<HydratedPost> views = new ArrayList<>(page.size());
        for (Row r : page) {
            views.add(HydratedPost.rendered(rows.view(r), json));
        }
        return views;
    }

    /** {@code posts} (views without viewer state, such as kept ones), in their order, with the viewer's votes (one statement). */
    public Uni<List<HydratedPost>> withViewer(List<HydratedPost> posts, Optional<String> viewer) {
        if (viewer.isEmpty() || posts.isEmpty()) {
            return Uni.createFrom().item(posts);
        }
        List<String> uris = posts.stream().map(p -> p.view().uri()).toList();
        Map<String, HydratedPost> byUri = new HashMap<>();
        posts.forEach(p -> byUri.put(p.view().uri(), p));
        return withVotes(Uni.createFrom().item(byUri), uris, viewer).map(hydrated -> hydrated.inOrder(uris));
    }

    /** The post of a thread, without viewer state: also a deleted one, not one whose author or community is inactive. */
    public Uni<Optional<PostView>> threadRoot(String uri) {
        return rows.one(uri, PostVisibility.THREAD_ROOT).map(found -> Optional.ofNullable(found.get(uri)));
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
