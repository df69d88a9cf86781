package social.coves.ingestor.indexer.aggregators;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.ingestor.indexer.RecordProjection;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.AggregatorService;

import java.util.Arrays;
import java.util.Optional;

import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.json;
import static social.coves.ingestor.indexer.ProjectionSupport.parsedFromItsRepo;
import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/**
 * {@code social.coves.aggregator.service} (rkey {@code self}, in the aggregator's repo) → {@code appview.aggregator_services},
 * one row per aggregator keyed by the repo DID. An update replaces the row; a delete removes it (the aggregator is no
 * longer declared; its authorizations stay, inert). A record whose {@code did} is not the repo's is never written (the
 * jetstream role rejects it already; this is the same rule again, for records that reach the log another way).
 */
@ApplicationScoped
public class AggregatorServiceProjection implements RecordProjection {

    static final String SELF = "self";

    private static final String UPSERT = """
            INSERT INTO appview.aggregator_services AS s (did, uri, cid, display_name, description, avatar_cid, config_schema,
                   source_url, maintainer_did, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10)
            ON CONFLICT (did) DO UPDATE SET uri = EXCLUDED.uri, cid = EXCLUDED.cid, display_name = EXCLUDED.display_name,
                   description = EXCLUDED.description, avatar_cid = EXCLUDED.avatar_cid, config_schema = EXCLUDED.config_schema,
                   source_url = EXCLUDED.source_url, maintainer_did = EXCLUDED.maintainer_did, created_at = EXCLUDED.created_at""";

    @Override
    public String collection() {
        return CovesCollections.AGGREGATOR_SERVICE;
    }

    @Override
    public Uni<Void> upsert(SqlConnection tx, EventEnvelope event) {
        EventEnvelope.Commit commit = event.commit();
        if (!SELF.equals(commit.rkey())) {
            skip(event, "an aggregator service record lives at rkey self");
            return Uni.createFrom().voidItem();
        }
        Optional<AggregatorService> parsed = parsedFromItsRepo(event, AggregatorService::fromJson);
        if (parsed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        AggregatorService service = parsed.get();
        return tx.preparedQuery(UPSERT).execute(Tuple.tuple(Arrays.asList(
                event.did(),
                commit.uri(event.did()),
                commit.cid(),
                service.displayName(),
                service.description(),
                service.avatar() == null ? null : service.avatar().ref().value(),
                json(service.configSchema()),
                service.sourceUrl() == null ? null : service.sourceUrl().value(),
                service.maintainer() == null ? null : service.maintainer().value(),
                createdAt(service.createdAt(), event)))).replaceWithVoid();
    }

    @Override
    public Uni<Void> delete(SqlConnection tx, EventEnvelope event) {
        if (!SELF.equals(event.commit().rkey())) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("DELETE FROM appview.aggregator_services WHERE did = $1")
                .execute(Tuple.of(event.did())).replaceWithVoid();
    }
}
