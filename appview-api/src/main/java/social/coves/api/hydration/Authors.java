package social.coves.api.hydration;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.posts.PostView;

import java.util.Collection;
import java.util.Map;

/**
 * Post authors by DID: the handle shown ({@code shown_handle}: the verified handle, else none and so
 * {@code handle.invalid}), the display name, and whether the account declared itself an aggregator.
 */
@ApplicationScoped
public class Authors {

    /** One row per DID asked, also for an account the index has no row of. */
    static final String SQL = """
            SELECT d.did, a.shown_handle, a.display_name,
                   EXISTS (SELECT 1 FROM appview.aggregator_services g WHERE g.did = d.did) AS is_aggregator
              FROM unnest($1::text[]) AS d(did)
              LEFT JOIN appview.actors a ON a.did = d.did""";

    private final HydrationStatements statements;

    public Authors(HydrationStatements statements) {
        this.statements = statements;
    }

    Uni<Map<String, PostView.Author>> of(Collection<String> dids) {
        if (dids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return statements.byFirstColumn(HydrationKind.AUTHORS, SQL, Tuple.of(dids.toArray(String[]::new)), Authors::author);
    }

    private static PostView.Author author(Row r) {
        String handle = r.getString(1);
        return new PostView.Author(r.getString(0), handle == null ? PostView.Author.INVALID_HANDLE : handle, r.getString(2),
                r.getBoolean(3) ? Boolean.TRUE : null);
    }
}
