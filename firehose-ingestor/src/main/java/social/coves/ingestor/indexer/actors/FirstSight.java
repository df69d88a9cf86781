package social.coves.ingestor.indexer.actors;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.syntax.Did;

import java.util.List;
import java.util.TreeSet;

/**
 * Every account a batch names — the repos it writes to and the authors of posts (which live in community repos) —
 * gets an {@code appview.actors} row if it has none, so {@link HandleVerificationJob} checks its handle (a new row is
 * due at once). Inserted in DID order first thing in the batch ({@code ActorLockOrder}); existing rows are not touched.
 */
public final class FirstSight {

    private static final String INSERT = """
            INSERT INTO appview.actors (did) SELECT d FROM unnest($1::text[]) AS u(d) ORDER BY d
            ON CONFLICT (did) DO NOTHING""";

    private FirstSight() {
    }

    public static Uni<Void> accounts(SqlConnection tx, List<EventEnvelope> events) {
        TreeSet<String> dids = new TreeSet<>();
        for (EventEnvelope e : events) {
            if (e.commit() == null) {
                continue;
            }
            dids.add(e.did());
            if (CovesCollections.COMMUNITY_POST.equals(e.commit().collection()) && e.commit().record() != null) {
                String author = e.commit().record().path("author").asText("");
                if (Did.isValid(author)) {
                    dids.add(author);
                }
            }
        }
        if (dids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(INSERT).execute(Tuple.of(dids.toArray(String[]::new))).replaceWithVoid();
    }
}
