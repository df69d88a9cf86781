package social.coves.api.hydration;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A page's hydrated posts by URI; a URI whose post is unknown or not shown has none. */
public record HydratedPosts(Map<String, HydratedPost> byUri) {

    public HydratedPost get(String uri) {
        return byUri.get(uri);
    }

    /** The posts of {@code uris} in that order, those without one left out. */
    public List<HydratedPost> inOrder(List<String> uris) {
        return uris.stream().map(byUri::get).filter(Objects::nonNull).toList();
    }
}
