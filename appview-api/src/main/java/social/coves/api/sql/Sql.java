package social.coves.api.sql;

import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** Builds one parameterised statement: {@link #bind} returns the {@code $n} placeholder of a new argument. */
public final class Sql {

    private final StringBuilder text = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    public Sql append(String sql) {
        text.append(sql);
        return this;
    }

    public String bind(Object value) {
        args.add(value);
        return "$" + args.size();
    }

    public String text() {
        return text.toString();
    }

    public Tuple tuple() {
        return Tuple.tuple(args);
    }
}
