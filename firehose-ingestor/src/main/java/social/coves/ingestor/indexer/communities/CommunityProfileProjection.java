package social.coves.ingestor.indexer.communities;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.ingestor.indexer.RecordProjection;
import social.coves.ingestor.indexer.BatchLockOrder;
import social.coves.ingestor.indexer.counts.CounterDeltas;
import social.coves.ingestor.indexer.counts.Parent;
import social.coves.lexicon.envelope.EventEnvelope;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code social.coves.community.profile} (rkey {@code self}, in the community's own repo) → {@code appview.communities}.
 * Updates replace every profile field; counts are left alone (they are derived from other records). A new community,
 * or a changed {@code hostedBy}, leaves the hosting verdict pending for {@link HostingVerificationJob} (no network
 * I/O inside the batch transaction).
 */
@ApplicationScoped
public class CommunityProfileProjection implements RecordProjection {

    public static final String COLLECTION = "social.coves.community.profile";

    private static final String UPSERT = """
            INSERT INTO appview.communities AS c (did, name, display_name, description, description_facets, avatar_cid, banner_cid,
                   created_by, hosted_by, visibility, moderation_type, content_warnings, allow_external_discovery,
                   record_uri, record_cid, created_at)
            VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            ON CONFLICT (did) DO UPDATE SET name = EXCLUDED.name, display_name = EXCLUDED.display_name,
                   description = EXCLUDED.description, description_facets = EXCLUDED.description_facets,
                   avatar_cid = EXCLUDED.avatar_cid, banner_cid = EXCLUDED.banner_cid, created_by = EXCLUDED.created_by,
                   hosted_by = EXCLUDED.hosted_by, visibility = EXCLUDED.visibility, moderation_type = EXCLUDED.moderation_type,
                   content_warnings = EXCLUDED.content_warnings, allow_external_discovery = EXCLUDED.allow_external_discovery,
                   record_uri = EXCLUDED.record_uri, record_cid = EXCLUDED.record_cid, created_at = EXCLUDED.created_at,
                   updated_at = now(),
                   hosted_by_verified = CASE WHEN c.hosted_by IS DISTINCT FROM EXCLUDED.hosted_by THEN NULL ELSE c.hosted_by_verified END,
                   hosted_by_reason = CASE WHEN c.hosted_by IS DISTINCT FROM EXCLUDED.hosted_by THEN 'Pending' ELSE c.hosted_by_reason END,
                   hosted_by_message = CASE WHEN c.hosted_by IS DISTINCT FROM EXCLUDED.hosted_by THEN NULL ELSE c.hosted_by_message END,
                   hosted_by_attempts = CASE WHEN c.hosted_by IS DISTINCT FROM EXCLUDED.hosted_by THEN 0 ELSE c.hosted_by_attempts END,
                   hosted_by_next_check = CASE WHEN c.hosted_by IS DISTINCT FROM EXCLUDED.hosted_by THEN now()
                                               ELSE c.hosted_by_next_check END
            RETURNING (xmax = 0) AS inserted""";

    @Override
    public String collection() {
        return COLLECTION;
    }

    @Override
    public Uni<Void> upsert(SqlConnection tx, EventEnvelope event) {
        EventEnvelope.Commit commit = event.commit();
        if (!"self".equals(commit.rkey())) {
            return Uni.createFrom().voidItem();   // only the profile at rkey "self" describes the community
        }
        JsonNode r = commit.record();
        List<Object> values = Arrays.asList(
                event.did(),
                text(r, "name"),
                text(r, "displayName"),
                text(r, "description"),
                r.has("descriptionFacets") ? r.get("descriptionFacets").toString() : null,
                blobCid(r.get("avatar")),
                blobCid(r.get("banner")),
                text(r, "createdBy"),
                text(r, "hostedBy"),
                r.path("visibility").asText("public"),
                r.path("moderationType").asText("moderator"),
                contentWarnings(r.get("contentWarnings")),
                r.path("federation").path("allowExternalDiscovery").asBoolean(true),
                commit.uri(event.did()),
                commit.cid(),
                datetime(text(r, "createdAt")));
        // Subscriptions and posts may have arrived first: take the parent lock, then recount them when the row is new
        // (an existing row's counts are kept by its children's deltas; recounting a popular community costs milliseconds).
        return tx.preparedQuery(Parent.KEY_LOCK).execute(Tuple.of(event.did()))
                .chain(() -> tx.preparedQuery(UPSERT).execute(Tuple.tuple(values)))
                .chain(rows -> rows.iterator().next().getBoolean("inserted")
                        ? tx.preparedQuery(CounterDeltas.RECOUNT_KEYS.get(Parent.COMMUNITY))
                                .execute(Tuple.of((Object) new String[]{event.did()})).replaceWithVoid()
                        : Uni.createFrom().voidItem());
    }

    /** A profile writes its community's row (and a new row is recounted): that row is locked with the batch's parents. */
    @Override
    public void planLocks(BatchLockOrder.Plan plan, EventEnvelope event) {
        plan.communities.add(event.did());
    }

    @Override
    public Uni<Void> delete(SqlConnection tx, EventEnvelope event) {
        if (!"self".equals(event.commit().rkey())) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("DELETE FROM appview.communities WHERE did = $1").execute(Tuple.of(event.did())).replaceWithVoid();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static String blobCid(JsonNode blob) {
        if (blob == null || !"blob".equals(blob.path("$type").asText())) {
            return null;
        }
        return blob.path("ref").path("$link").asText(null);
    }

    private static String[] contentWarnings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(v -> {
                if (v.isTextual()) {
                    out.add(v.asText());
                }
            });
        }
        return out.toArray(String[]::new);
    }

    private static OffsetDateTime datetime(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

}
