package social.coves.ingestor.indexer;

import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** How the fold sends its statements: each one timed by kind, several at once when none needs another's result. */
public final class FoldStatements {

    /** Wall time per statement kind: {@code coves_indexer_statement_seconds{statement}} (the benchmark prints it too). */
    public static final String TIMER = "coves_indexer_statement_seconds";

    private FoldStatements() {
    }

    /** Runs one prepared statement, timed under {@code label}. */
    public static Uni<RowSet<Row>> exec(SqlConnection tx, String label, String sql, Tuple args) {
        long start = System.nanoTime();
        return tx.preparedQuery(sql).execute(args).invoke(() ->
                Metrics.timer(TIMER, "statement", label).record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    /**
     * Sends the statements at once without waiting for each result (the connection pipelines them and Postgres runs them
     * in this order); only for statements that do not depend on an earlier one's result.
     */
    public static Uni<Void> pipeline(List<Supplier<Uni<?>>> steps) {
        if (steps.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (steps.size() == 1) {
            return steps.getFirst().get().replaceWithVoid();
        }
        return Uni.combine().all().unis(steps.stream().map(Supplier::get).toList()).discardItems();
    }

    /** One step after the other. */
    public static Uni<Void> sequence(List<Supplier<Uni<?>>> steps) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Supplier<Uni<?>> step : steps) {
            chain = chain.chain(() -> step.get().replaceWithVoid());
        }
        return chain;
    }
}
