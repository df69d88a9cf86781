package social.coves.ingestor.indexer.actors;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.ingestor.indexer.RecordProjection;
import social.coves.lexicon.envelope.EventEnvelope;

import java.util.Arrays;

/** {@code social.coves.actor.profile} (rkey {@code self}) → profile columns of {@code appview.actors}. */
@ApplicationScoped
public class ActorProfileProjection implements RecordProjection {

    private static final String UPSERT = """
            INSERT INTO appview.actors AS a (did, display_name, bio, avatar_cid, banner_cid) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (did) DO UPDATE SET display_name = EXCLUDED.display_name, bio = EXCLUDED.bio,
                   avatar_cid = EXCLUDED.avatar_cid, banner_cid = EXCLUDED.banner_cid, updated_at = now()""";

    @Override
    public String collection() {
        return "social.coves.actor.profile";
    }

    @Override
    public Uni<Void> upsert(SqlConnection tx, EventEnvelope event) {
        if (!"self".equals(event.commit().rkey())) {
            return Uni.createFrom().voidItem();
        }
        JsonNode r = event.commit().record();
        // Coves' own client writes "description" where the lexicon says "bio"; accept both.
        String bio = r.hasNonNull("bio") ? r.get("bio").asText() : r.path("description").asText(null);
        return tx.preparedQuery(UPSERT).execute(Tuple.tuple(Arrays.asList(event.did(), r.path("displayName").asText(null), bio,
                r.path("avatar").path("ref").path("$link").asText(null), r.path("banner").path("ref").path("$link").asText(null))))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> delete(SqlConnection tx, EventEnvelope event) {
        return tx.preparedQuery("UPDATE appview.actors SET display_name = NULL, bio = NULL, avatar_cid = NULL, banner_cid = NULL, "
                + "updated_at = now() WHERE did = $1").execute(Tuple.of(event.did())).replaceWithVoid();
    }
}
