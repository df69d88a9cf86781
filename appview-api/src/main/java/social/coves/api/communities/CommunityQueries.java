package social.coves.api.communities;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import io.micrometer.core.instrument.MeterRegistry;
import social.coves.api.changes.IndexCacheConfig;
import social.coves.api.changes.IndexChanges;
import social.coves.api.changes.UntilChangedCache;
import social.coves.api.images.ImagePreset;
import social.coves.api.images.ImageUrls;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads communities from the projections (read-only). */
@ApplicationScoped
public class CommunityQueries {

    private static final String SELECT = """
            SELECT c.did, a.shown_handle AS handle, c.name, c.display_name, c.description, c.avatar_cid, c.banner_cid, c.created_by, c.hosted_by, c.hosted_by_verified, c.visibility,
                   c.moderation_type, c.content_warnings, c.created_at, c.allow_external_discovery,
                   c.subscriber_count, c.member_count, c.post_count
              FROM appview.communities c
              LEFT JOIN appview.actors a ON a.did = c.did
             WHERE (a.active IS NULL OR a.active)
            """;

    /** Whether a community is indexed and its account not deactivated: the check every read naming a community makes. */
    private static final String DID_OF =
            "SELECT c.did FROM appview.communities c LEFT JOIN appview.actors a ON a.did = c.did WHERE (a.active IS NULL OR a.active)";

    private final Pool pool;
    private final ImageUrls images;
    /** Communities found by {@link #resolveDid}, kept until they change ({@link UntilChangedCache}); not-found is never kept. */
    private final UntilChangedCache<CommunityIdentifier, Optional<String>> dids;

    /** Communities found by {@link #find}, kept until they change ({@link UntilChangedCache}); not-found is never kept. */
    private final UntilChangedCache<CommunityIdentifier, Optional<CommunityViewDetailed>> found;

    public CommunityQueries(Pool pool, ImageUrls images, MeterRegistry metrics, IndexCacheConfig config, IndexChanges changes) {
        this.pool = pool;
        this.found = new UntilChangedCache<>("communities", config.communities(), config, changes, metrics,
                view -> view.map(v -> List.of(IndexChanges.community(v.did()))).orElse(null));
        this.images = images;
        this.dids = new UntilChangedCache<>("community_dids", config.communities(), config, changes, metrics,
                did -> did.map(d -> List.of(IndexChanges.communityGone(d))).orElse(null));
    }

    public Uni<Optional<CommunityViewDetailed>> find(CommunityIdentifier id) {
        return found.get(id, this::fromIndex);
    }

    private Uni<Optional<CommunityViewDetailed>> fromIndex(CommunityIdentifier id) {
        return byIdentifier(SELECT, id).map(set -> set.iterator().hasNext() ? Optional.of(view(set.iterator().next())) : Optional.empty());
    }

    /**
     * The DID of an indexed community whose account is not deactivated. A community found is kept until its row is
     * deleted or an account's shown state changes ({@link IndexChanges#communityGone}, {@code *}: a deactivation reaches
     * its feed at once), not on every post of the community, so a feed read costs one statement, not two in a row; a
     * community not found is asked again each time (it may be indexed any moment).
     */
    public Uni<Optional<String>> resolveDid(CommunityIdentifier id) {
        return dids.get(id, key -> byIdentifier(DID_OF, key).map(set ->
                set.iterator().hasNext() ? Optional.of(set.iterator().next().getString("did")) : Optional.<String>empty()));
    }

    /** {@code select} (ending in a WHERE clause) for the community named by DID or by handle. */
    private Uni<RowSet<Row>> byIdentifier(String select, CommunityIdentifier id) {
        return id.did() != null
                ? pool.preparedQuery(select + " AND c.did = $1").execute(Tuple.of(id.did()))
                : pool.preparedQuery(select + " AND lower(a.handle) = $1").execute(Tuple.of(id.handle()));
    }

    private CommunityViewDetailed view(Row r) {
        String did = r.getString("did");
        String handle = r.getString("handle");
        String name = r.getString("name");
        String[] warnings = r.getArrayOfStrings("content_warnings");
        long subscribers = r.getLong("subscriber_count");
        long members = r.getLong("member_count");
        long posts = r.getLong("post_count");
        return new CommunityViewDetailed(
                r.getString("did"), handle, name, r.getString("display_name"), displayHandle(name, handle),
                r.getString("description"), images.url(ImagePreset.AVATAR, did, r.getString("avatar_cid")),
                images.url(ImagePreset.BANNER, did, r.getString("banner_cid")), r.getString("created_by"), r.getString("hosted_by"),
                r.getBoolean("hosted_by_verified"),
                r.getString("visibility"), r.getString("moderation_type"),
                warnings == null ? List.of() : Arrays.asList(warnings),
                timestamp(r.getOffsetDateTime("created_at")), r.getBoolean("allow_external_discovery"),
                subscribers, members, posts, new CommunityViewDetailed.Stats(subscribers, members, posts));
    }

    /** {@code !name@instance} from handle {@code c-name.instance}; absent when the handle has another shape. */
    static String displayHandle(String name, String handle) {
        if (handle == null || name == null) {
            return null;
        }
        String prefix = "c-" + name.toLowerCase(java.util.Locale.ROOT) + ".";
        return handle.startsWith(prefix) ? "!" + name + "@" + handle.substring(prefix.length()) : null;
    }

    static String timestamp(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
    }
}
