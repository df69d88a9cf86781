package social.coves.api.hydration;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.posts.PostView;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Post views without viewer state, read fresh: the posts in one statement, then their authors and their communities
 * in one statement each (together), whatever the number of posts.
 */
@ApplicationScoped
public class PostViewLoader {

    private final PostsByUri posts;
    private final Authors authors;
    private final Communities communities;

    public PostViewLoader(PostsByUri posts, Authors authors, Communities communities) {
        this.posts = posts;
        this.authors = authors;
        this.communities = communities;
    }

    /** The posts among {@code uris} that are {@code visibility}, by URI. */
    public Uni<Map<String, PostView>> load(List<String> uris, PostVisibility visibility) {
        return posts.of(uris, visibility).chain(records -> {
            if (records.isEmpty()) {
                return Uni.createFrom().item(Map.<String, PostView>of());
            }
            // HashSets: a post's author DID may be null
            Set<String> authorDids = new HashSet<>();
            Set<String> communityDids = new HashSet<>();
            records.values().forEach(p -> {
                authorDids.add(p.authorDid());
                communityDids.add(p.communityDid());
            });
            return Uni.combine().all().unis(authors.of(authorDids), communities.of(communityDids)).asTuple().map(found -> {
                Map<String, PostView> views = new HashMap<>();
                records.forEach((uri, p) -> views.put(uri, p.view(found.getItem1().get(p.authorDid()), found.getItem2().get(p.communityDid()))));
                return views;
            });
        });
    }
}
