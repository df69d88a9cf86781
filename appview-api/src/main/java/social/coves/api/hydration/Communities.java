package social.coves.api.hydration;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.images.ImagePreset;
import social.coves.api.images.ImageUrls;
import social.coves.api.posts.PostView;

import java.util.Collection;
import java.util.Map;

/** The communities posts were made in, by DID: name, the handle shown and the small avatar. */
@ApplicationScoped
public class Communities {

    /** One row per DID asked, also for a community the index has no profile or account row of. */
    static final String SQL = """
            SELECT d.did, c.name, ca.shown_handle, c.avatar_cid
              FROM unnest($1::text[]) AS d(did)
              LEFT JOIN appview.communities c ON c.did = d.did
              LEFT JOIN appview.actors ca ON ca.did = d.did""";

    private final HydrationStatements statements;
    private final ImageUrls images;

    public Communities(HydrationStatements statements, ImageUrls images) {
        this.statements = statements;
        this.images = images;
    }

    Uni<Map<String, PostView.CommunityRef>> of(Collection<String> dids) {
        if (dids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return statements.byFirstColumn(HydrationKind.COMMUNITIES, SQL, Tuple.of(dids.toArray(String[]::new)), this::community);
    }

    private PostView.CommunityRef community(Row r) {
        String did = r.getString(0);
        return new PostView.CommunityRef(did, r.getString(2), r.getString(1), images.url(ImagePreset.AVATAR_SMALL, did, r.getString(3)));
    }
}
