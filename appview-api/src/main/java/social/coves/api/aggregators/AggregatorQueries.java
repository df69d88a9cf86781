package social.coves.api.aggregators;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.cursor.CursorCodec;
import social.coves.api.images.ImagePreset;
import social.coves.api.images.ImageUrls;
import social.coves.api.json.StoredJson;
import social.coves.api.posts.PostRows;
import social.coves.api.sql.Sql;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The aggregator listings over the index ({@code appview.aggregator_services}, {@code aggregator_authorizations}):
 * services by DID (with usage counts on request), and authorizations per aggregator or per community, newest first
 * with keyset cursors on (created_at, uri).
 */
@ApplicationScoped
public class AggregatorQueries {

    private static final String SERVICE_COLUMNS = "s.did, s.uri, s.display_name, s.description, s.avatar_cid, "
            + "s.config_schema::text AS config_schema, s.source_url, s.maintainer_did, coalesce(s.created_at, s.indexed_at) AS created_at";
    /** Communities with an enabled authorization, and live posts authored: counted live, each an index look-up. */
    private static final String STATS_COLUMNS = ", (SELECT count(DISTINCT a.community_did) FROM appview.aggregator_authorizations a "
            + "WHERE a.aggregator_did = s.did AND a.enabled) AS communities_using, (SELECT count(*) FROM appview.posts p "
            + "WHERE p.author_did = s.did AND p.deleted_at IS NULL) AS posts_created";
    private static final String AUTHORIZATION_COLUMNS = "a.uri, a.aggregator_did, a.community_did, a.enabled, a.config::text AS config, "
            + "a.created_at, a.created_by, a.disabled_at, a.disabled_by, ca.shown_handle AS community_handle, "
            + "coalesce(c.display_name, c.name) AS community_name FROM appview.aggregator_authorizations a "
            + "LEFT JOIN appview.communities c ON c.did = a.community_did LEFT JOIN appview.actors ca ON ca.did = a.community_did";

    private final Pool pool;
    private final ImageUrls images;
    private final CursorCodec cursors;

    public AggregatorQueries(Pool pool, ImageUrls images, CursorCodec cursors) {
        this.pool = pool;
        this.images = images;
        this.cursors = cursors;
    }

    /** The declared aggregators among {@code dids}, in the order asked; unknown DIDs are left out. */
    public Uni<AggregatorViews.Services> services(List<String> dids, boolean detailed) {
        String sql = "SELECT " + SERVICE_COLUMNS + (detailed ? STATS_COLUMNS : "") + " FROM appview.aggregator_services s WHERE s.did = ANY($1)";
        return pool.preparedQuery(sql).execute(Tuple.of(dids.toArray(String[]::new))).map(rows -> {
            Map<String, AggregatorViews.Aggregator> byDid = new HashMap<>();
            rows.forEach(r -> byDid.put(r.getString("did"), service(r, detailed)));
            return new AggregatorViews.Services(dids.stream().distinct().map(byDid::get).filter(v -> v != null).toList());
        });
    }

    /** The communities that authorised {@code aggregator}; empty when it has no service record. */
    public Uni<Optional<AggregatorViews.Authorizations>> authorizationsOf(String aggregator, boolean enabledOnly, int limit, String cursor) {
        return pool.preparedQuery("SELECT " + SERVICE_COLUMNS + " FROM appview.aggregator_services s WHERE s.did = $1")
                .execute(Tuple.of(aggregator)).chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(Optional.empty());
                    }
                    AggregatorViews.Aggregator view = service(rows.iterator().next(), false);
                    return page("aggregator-authorizations|" + aggregator + "|" + enabledOnly, "a.aggregator_did", aggregator,
                            enabledOnly, limit, cursor, r -> new AggregatorViews.CommunityAuthorization(view, r.getString("community_did"),
                                    r.getString("community_handle"), r.getString("community_name"), r.getBoolean("enabled"),
                                    StoredJson.parse(r.getString("config")), PostRows.timestamp(r.getOffsetDateTime("created_at")),
                                    r.getString("uri")))
                            .map(p -> Optional.of(new AggregatorViews.Authorizations(p.items(), p.cursor())));
                });
    }

    /** The aggregators a community authorised (or disabled). */
    public Uni<AggregatorViews.CommunityAggregators> authorizationsIn(String community, boolean enabledOnly, int limit, String cursor) {
        return page("community-aggregators|" + community + "|" + enabledOnly, "a.community_did", community, enabledOnly, limit, cursor,
                r -> new AggregatorViews.Authorization(r.getString("aggregator_did"), r.getString("community_did"),
                        r.getString("community_handle"), r.getString("community_name"), r.getBoolean("enabled"),
                        StoredJson.parse(r.getString("config")), PostRows.timestamp(r.getOffsetDateTime("created_at")),
                        r.getString("created_by"), PostRows.timestamp(r.getOffsetDateTime("disabled_at")), r.getString("disabled_by"),
                        r.getString("uri")))
                .map(p -> new AggregatorViews.CommunityAggregators(p.items(), p.cursor()));
    }

    private record Page<T>(List<T> items, String cursor) {
    }

    /** One page of authorizations where {@code column = value}, newest first; the cursor is the last (created_at, uri). */
    private <T> Uni<Page<T>> page(String kind, String column, String value, boolean enabledOnly, int limit, String cursor,
                                  Function<Row, T> view) {
        Sql sql = new Sql();
        sql.append("SELECT " + AUTHORIZATION_COLUMNS + " WHERE " + column + " = " + sql.bind(value));
        if (enabledOnly) {
            sql.append(" AND a.enabled");
        }
        if (cursor != null && !cursor.isEmpty()) {
            List<String> after = cursors.decode(kind, cursor, 2);
            try {
                sql.append(" AND (a.created_at, a.uri) < (" + sql.bind(OffsetDateTime.parse(after.get(0))) + ", "
                        + sql.bind(after.get(1)) + ")");
            } catch (DateTimeParseException e) {
                throw CursorCodec.invalid("it is malformed");
            }
        }
        sql.append(" ORDER BY a.created_at DESC, a.uri DESC LIMIT " + sql.bind(limit + 1));
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).map(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            boolean more = list.size() > limit;
            List<Row> shown = more ? list.subList(0, limit) : list;
            String next = more ? cursors.encode(kind, List.of(shown.getLast().getOffsetDateTime("created_at").toString(),
                    shown.getLast().getString("uri"))) : null;
            return new Page<>(shown.stream().map(view).toList(), next);
        });
    }

    private AggregatorViews.Aggregator service(Row r, boolean detailed) {
        String did = r.getString("did");
        return new AggregatorViews.Aggregator(detailed ? AggregatorViews.VIEW_DETAILED : AggregatorViews.VIEW, did,
                r.getString("display_name"), r.getString("description"), images.url(ImagePreset.AVATAR, did, r.getString("avatar_cid")),
                StoredJson.parse(r.getString("config_schema")), r.getString("source_url"), r.getString("maintainer_did"),
                PostRows.timestamp(r.getOffsetDateTime("created_at")), r.getString("uri"),
                detailed ? new AggregatorViews.Stats(r.getLong("communities_using"), r.getLong("posts_created")) : null);
    }
}
