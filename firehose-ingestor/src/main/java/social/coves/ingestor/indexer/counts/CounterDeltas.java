package social.coves.ingestor.indexer.counts;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.ingestor.indexer.FoldStatements;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * The counter changes of one batch, summed per parent: every counter is a function of the rows ({@link Counter}), so
 * a parent's change is the difference between its children's contributions before and after the batch. Applied with
 * one {@code UPDATE … FROM unnest} per parent table. Parents the batch inserts are recounted from their stored
 * children instead (children may have come first, in any batch); a change whose parent has no row changes nothing
 * (the parent's key lock makes its insert wait for this batch, and its recount then counts this batch's children).
 */
public final class CounterDeltas {

    private final boolean maintained;
    private final Map<Parent, Map<String, long[]>> deltas = new EnumMap<>(Parent.class);
    private final Map<Parent, Set<String>> recounted = new EnumMap<>(Parent.class);
    /** Parent comment → the replies' root → the change of its live replies with that root (see {@link #addReply}). */
    private final Map<String, Map<String, Long>> replies = new TreeMap<>();

    public CounterDeltas(boolean maintained) {
        this.maintained = maintained;
    }

    /** Moves {@code counter} of the parent {@code key} by {@code delta} (nothing when counters are not maintained). */
    public void add(Counter counter, String key, long delta) {
        if (!maintained || key == null || delta == 0) {
            return;
        }
        List<Counter> columns = Counter.of(counter.parent);
        deltas.computeIfAbsent(counter.parent, p -> new TreeMap<>())
                .computeIfAbsent(key, k -> new long[columns.size()])[columns.indexOf(counter)] += delta;
    }

    /**
     * A reply whose thread is {@code root} under the comment {@code parent} changes by {@code delta}: it counts only if
     * the parent is in the same thread, which is read under the parent's row lock when the changes are applied.
     */
    public void addReply(String parent, String root, long delta) {
        if (!maintained || parent == null || delta == 0) {
            return;
        }
        replies.computeIfAbsent(parent, p -> new HashMap<>()).merge(String.valueOf(root), delta, Long::sum);
    }

    /**
     * The parent {@code key} is recounted from its stored children at the end of the batch (inserted by it, or moved to
     * another thread), which makes its deltas redundant.
     */
    public void recountAtEnd(Parent parent, String key) {
        if (maintained) {
            recounted.computeIfAbsent(parent, p -> new TreeSet<>()).add(key);
        }
    }

    public Set<String> recounted(Parent parent) {
        return recounted.getOrDefault(parent, Set.of());
    }

    /** The parents whose counters the batch moves (to be locked before they are written). */
    public Map<Parent, Set<String>> parents() {
        Map<Parent, Set<String>> out = new HashMap<>();
        deltas.forEach((parent, keys) -> out.put(parent, new TreeSet<>(keys.keySet())));
        if (!replies.isEmpty()) {
            out.computeIfAbsent(Parent.COMMENT, p -> new TreeSet<>()).addAll(replies.keySet());
        }
        return out;
    }

    /**
     * Applies the changes, communities, posts, comments; every row updated must be in the batch's lock set
     * ({@code locked}), or this throws: a row lock taken here could close a cycle with another replica's batch.
     * {@code commentRoots}: the thread of every stored comment the batch locked, read under its lock.
     */
    public Uni<Void> apply(SqlConnection tx, BiPredicate<Parent, String> locked, Map<String, String> commentRoots) {
        int repliesColumn = Counter.of(Parent.COMMENT).indexOf(Counter.COMMENT_REPLIES);
        replies.forEach((parent, byRoot) -> {
            String root = commentRoots.get(parent);
            long delta = root == null ? 0 : byRoot.getOrDefault(root, 0L);
            if (delta != 0) {
                deltas.computeIfAbsent(Parent.COMMENT, p -> new TreeMap<>())
                        .computeIfAbsent(parent, k -> new long[Counter.of(Parent.COMMENT).size()])[repliesColumn] += delta;
            }
        });
        replies.clear();
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        for (Parent parent : List.of(Parent.COMMUNITY, Parent.POST, Parent.COMMENT)) {
            Map<String, long[]> byKey = deltas.get(parent);
            if (byKey == null) {
                continue;
            }
            Set<String> recounted = recounted(parent);
            List<String> keys = new ArrayList<>();
            List<long[]> values = new ArrayList<>();
            byKey.forEach((k, v) -> {
                if (recounted.contains(k) || java.util.Arrays.stream(v).allMatch(x -> x == 0)) {
                    return;
                }
                if (!locked.test(parent, k)) {
                    throw new IllegalStateException("indexer: counter update on " + parent + " " + k + " outside the batch's lock set");
                }
                keys.add(k);
                values.add(v);
            });
            if (!keys.isEmpty()) {
                steps.add(() -> bump(tx, parent, keys, values));
            }
        }
        return FoldStatements.pipeline(steps);
    }

    /** Recounts the parents {@link #recountAtEnd} named (posts and comments; a community profile recounts its own row). */
    public Uni<Void> recount(SqlConnection tx) {
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        for (Parent parent : List.of(Parent.POST, Parent.COMMENT)) {
            Set<String> keys = recounted(parent);
            if (!keys.isEmpty()) {
                steps.add(() -> FoldStatements.exec(tx, "RECOUNT_" + parent, RECOUNT_KEYS.get(parent),
                        Tuple.of((Object) keys.toArray(String[]::new))));
            }
        }
        return FoldStatements.pipeline(steps);
    }

    /** {@link Counter#recountKeys} of each parent table. */
    public static final Map<Parent, String> RECOUNT_KEYS = new EnumMap<>(Parent.class);

    static {
        for (Parent p : Parent.values()) {
            RECOUNT_KEYS.put(p, Counter.recountKeys(p));
        }
    }

    private static Uni<?> bump(SqlConnection tx, Parent parent, List<String> keys, List<long[]> values) {
        List<Counter> columns = Counter.of(parent);
        StringBuilder sql = new StringBuilder("UPDATE ").append(parent.table).append(" t SET ");
        StringBuilder types = new StringBuilder("$1::text[]");
        StringBuilder names = new StringBuilder("k");
        List<Object> args = new ArrayList<>();
        args.add(keys.toArray(String[]::new));
        for (int c = 0; c < columns.size(); c++) {
            String column = columns.get(c).column;
            sql.append(c == 0 ? "" : ", ").append(column).append(" = t.").append(column).append(" + d.d").append(c);
            types.append(", $").append(c + 2).append("::int8[]");
            names.append(", d").append(c);
            final int col = c;
            args.add(values.stream().map(v -> v[col]).toArray(Long[]::new));
        }
        sql.append(" FROM unnest(").append(types).append(") AS d(").append(names).append(") WHERE t.").append(parent.key)
                .append(" = d.k AND t.").append(parent.key).append(" = ANY($1::text[])");
        return FoldStatements.exec(tx, "BUMP_" + parent, sql.toString(), Tuple.tuple(args));
    }
}
