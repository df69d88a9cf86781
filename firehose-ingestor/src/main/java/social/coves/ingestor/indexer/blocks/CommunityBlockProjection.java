package social.coves.ingestor.indexer.blocks;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.ingestor.indexer.RecordProjection;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.CommunityBlock;

import java.util.Arrays;

import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/** {@code social.coves.community.block} (in the blocking user's repo) → {@code appview.community_blocks}. No counts. */
@ApplicationScoped
public class CommunityBlockProjection implements RecordProjection {

    private static final String UPSERT = """
            INSERT INTO appview.community_blocks AS b (uri, cid, blocker_did, rkey, community_did, created_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (uri) DO UPDATE SET cid = EXCLUDED.cid, community_did = EXCLUDED.community_did, created_at = EXCLUDED.created_at""";

    @Override
    public String collection() {
        return CovesCollections.COMMUNITY_BLOCK;
    }

    @Override
    public Uni<Void> upsert(SqlConnection tx, EventEnvelope event) {
        CommunityBlock block;
        try {
            block = CommunityBlock.fromJson(event.commit().record());
        } catch (RuntimeException e) {
            skip(event, e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(UPSERT).execute(Tuple.tuple(Arrays.asList(event.commit().uri(event.did()), event.commit().cid(),
                event.did(), event.commit().rkey(), block.subject().value(), createdAt(block.createdAt(), event)))).replaceWithVoid();
    }

    @Override
    public Uni<Void> delete(SqlConnection tx, EventEnvelope event) {
        return tx.preparedQuery("DELETE FROM appview.community_blocks WHERE uri = $1")
                .execute(Tuple.of(event.commit().uri(event.did()))).replaceWithVoid();
    }
}
