package social.coves.ingestor.indexer.aggregators;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.ingestor.indexer.RecordProjection;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.AggregatorAuthorization;
import social.coves.lexicon.syntax.Datetime;
import social.coves.lexicon.syntax.Did;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.json;
import static social.coves.ingestor.indexer.ProjectionSupport.parsedFromItsRepo;

/**
 * {@code social.coves.aggregator.authorization} (any rkey, in the community's repo) → {@code appview.aggregator_authorizations},
 * one row per record keyed by its URI. An update replaces the row: toggling {@code enabled} keeps the pairing, naming
 * another aggregator moves it (the old pairing is gone, nothing else remembers it). A delete removes the row. A record
 * whose {@code communityDid} is not the repo's is never written (rejected at ingest already; the same rule again).
 */
@ApplicationScoped
public class AggregatorAuthorizationProjection implements RecordProjection {

    private static final String UPSERT = """
            INSERT INTO appview.aggregator_authorizations AS a (uri, cid, community_did, rkey, aggregator_did, enabled, config,
                   created_by, created_at, disabled_at, disabled_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10, $11)
            ON CONFLICT (uri) DO UPDATE SET cid = EXCLUDED.cid, aggregator_did = EXCLUDED.aggregator_did,
                   enabled = EXCLUDED.enabled, config = EXCLUDED.config, created_by = EXCLUDED.created_by,
                   created_at = EXCLUDED.created_at, disabled_at = EXCLUDED.disabled_at, disabled_by = EXCLUDED.disabled_by""";

    @Override
    public String collection() {
        return CovesCollections.AGGREGATOR_AUTHORIZATION;
    }

    @Override
    public Uni<Void> upsert(SqlConnection tx, EventEnvelope event) {
        EventEnvelope.Commit commit = event.commit();
        Optional<AggregatorAuthorization> parsed = parsedFromItsRepo(event, AggregatorAuthorization::fromJson);
        if (parsed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        AggregatorAuthorization authorization = parsed.get();
        return tx.preparedQuery(UPSERT).execute(Tuple.tuple(Arrays.asList(
                commit.uri(event.did()),
                commit.cid(),
                event.did(),
                commit.rkey(),
                authorization.aggregatorDid().value(),
                authorization.enabled(),
                json(authorization.config()),
                authorization.createdBy().value(),
                createdAt(authorization.createdAt(), event),
                utc(authorization.disabledAt()),
                value(authorization.disabledBy())))).replaceWithVoid();
    }

    @Override
    public Uni<Void> delete(SqlConnection tx, EventEnvelope event) {
        return tx.preparedQuery("DELETE FROM appview.aggregator_authorizations WHERE uri = $1")
                .execute(Tuple.of(event.commit().uri(event.did()))).replaceWithVoid();
    }

    /** disabledAt as the record says (it orders nothing, so it is not clamped like createdAt). */
    private static OffsetDateTime utc(Datetime at) {
        return at == null ? null : OffsetDateTime.ofInstant(at.instant(), ZoneOffset.UTC);
    }

    private static String value(Did did) {
        return did == null ? null : did.value();
    }
}
