package social.coves.ingestor.indexer.actors;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.syntax.Did;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every account a batch names — the repos it writes to and the authors of posts (which live in community repos) —
 * gets an {@code appview.actors} row if it has none, so {@link HandleVerificationJob} checks its handle (a new row is
 * due at once). Existing rows are not touched (no lock). Inserted among the batch's last writes, the actor rows, in
 * DID order together with the actor profiles ({@code BatchLockOrder} (7)).
 */
public final class FirstSight {

    private static final String INSERT = """
            INSERT INTO appview.actors (did) SELECT d FROM unnest($1::text[]) AS u(d) ORDER BY d
            ON CONFLICT (did) DO NOTHING""";

    private FirstSight() {
    }

    /**
     * The batch's actor writes in DID order: {@code profiles} (sorted by DID, each written by {@code write}) and before
     * each of them one insert of the first-seen accounts that sort up to it, the rest after the last.
     */
    public static <T> List<Supplier<Uni<?>>> inDidOrder(SqlConnection tx, List<EventEnvelope> events, List<T> profiles,
                                                     Function<T, String> didOf, Function<T, Uni<?>> write) {
        TreeSet<String> unseen = named(events);
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        for (T profile : profiles) {
            TreeSet<String> upTo = new TreeSet<>(unseen.headSet(didOf.apply(profile), true));
            unseen.removeAll(upTo);
            if (!upTo.isEmpty()) {
                steps.add(() -> insert(tx, upTo));
            }
            steps.add(() -> write.apply(profile));
        }
        if (!unseen.isEmpty()) {
            steps.add(() -> insert(tx, unseen));
        }
        return steps;
    }

    private static TreeSet<String> named(List<EventEnvelope> events) {
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
        return dids;
    }

    private static Uni<Void> insert(SqlConnection tx, TreeSet<String> dids) {
        if (dids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(INSERT).execute(Tuple.of(dids.toArray(String[]::new))).replaceWithVoid();
    }
}
