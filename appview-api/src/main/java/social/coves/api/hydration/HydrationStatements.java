package social.coves.api.hydration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The one way the hydration layer reaches PostgreSQL: every batch statement is counted by its kind
 * ({@code coves_api_hydration_statements_total{kind}}), so a page that hydrates per post instead of per page shows.
 */
@ApplicationScoped
public class HydrationStatements {

    private final Pool pool;
    private final Map<HydrationKind, Counter> issued = new EnumMap<>(HydrationKind.class);

    public HydrationStatements(Pool pool, MeterRegistry metrics) {
        this.pool = pool;
        for (HydrationKind kind : HydrationKind.values()) {
            issued.put(kind, Counter.builder("coves_api_hydration_statements").tag("kind", kind.tag())
                    .description("batch statements the hydration layer issued").register(metrics));
        }
    }

    Uni<RowSet<Row>> execute(HydrationKind kind, String sql, Tuple args) {
        issued.get(kind).increment();
        return pool.preparedQuery(sql).execute(args);
    }

    /** The rows of one statement by their first column (a URI or a DID), each mapped by {@code value}. */
    <V> Uni<Map<String, V>> byFirstColumn(HydrationKind kind, String sql, Tuple args, Function<Row, V> value) {
        return execute(kind, sql, args).map(rows -> {
            Map<String, V> byKey = new HashMap<>();
            for (Row r : rows) {
                byKey.put(r.getString(0), value.apply(r));
            }
            return byKey;
        });
    }
}
