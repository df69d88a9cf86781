package social.coves.ingestor.indexer;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The values of the one row a query returns (timestamps as text), for assertions on projection rows. */
final class OneRow {

    private OneRow() {
    }

    static List<Object> of(Pool pool, String sql, Object arg) {
        var rows = pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely();
        assertThat(rows.size()).as(sql + " " + arg).isEqualTo(1);
        Row r = rows.iterator().next();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            Object v = r.getValue(i);
            out.add(v instanceof OffsetDateTime ? v.toString() : v);
        }
        return out;
    }
}
