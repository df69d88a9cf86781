package social.coves.ingestor.indexer.counts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every counter the indexer keeps, each defined once: which children count on which parent. From these definitions
 * come both ways a counter is kept exact:
 * <ul>
 *   <li>the batch fold moves a parent's counters by the change of its children's contributions ({@link #comment},
 *   {@link #vote}, {@link #subscription}, {@link #post}: what one child counts for, read off the same definitions);</li>
 *   <li>a parent inserted by a batch, every parent in a reconciliation and after a rebuild is recounted from its stored
 *   children ({@link #recountKeys}, {@link #recountAll}).</li>
 * </ul>
 * Writers of these rows take their locks in the order written in {@code BatchLockOrder}.
 */
public enum Counter {
    POST_UPVOTES(Parent.POST, "upvotes", Children.UPVOTES),
    POST_DOWNVOTES(Parent.POST, "downvotes", Children.DOWNVOTES),
    /** Live comments anywhere in the post's thread. */
    POST_COMMENTS(Parent.POST, "comment_count", new Children("appview.comments", "root_uri", "c.deleted_at IS NULL", "count(*)")),
    /** Live comments directly under the post (which a reply to a post names as its root too). */
    POST_TOP_LEVEL_COMMENTS(Parent.POST, "top_level_comment_count",
            new Children("appview.comments", "parent_uri", "c.deleted_at IS NULL AND c.root_uri = c.parent_uri", "count(*)")),
    COMMENT_UPVOTES(Parent.COMMENT, "upvotes", Children.UPVOTES),
    COMMENT_DOWNVOTES(Parent.COMMENT, "downvotes", Children.DOWNVOTES),
    /**
     * Live comments directly under the comment and in its thread: a reply naming another root than its parent's is not
     * placed in any thread ({@link CommentDepth}) and counts nowhere but on its root post.
     */
    COMMENT_REPLIES(Parent.COMMENT, "reply_count", new Children("appview.comments", "parent_uri",
            "c.deleted_at IS NULL AND c.root_uri = (SELECT par.root_uri FROM appview.comments par WHERE par.uri = c.parent_uri)", "count(*)")),
    /** Accounts with at least one subscription record to the community. */
    COMMUNITY_SUBSCRIBERS(Parent.COMMUNITY, "subscriber_count",
            new Children("appview.subscriptions", "community_did", "true", "count(DISTINCT c.subscriber_did)")),
    /** Live posts in the community. */
    COMMUNITY_POSTS(Parent.COMMUNITY, "post_count", new Children("appview.posts", "community_did", "c.deleted_at IS NULL", "count(*)"));

    /**
     * The children a counter counts: rows {@code c} of {@code table} whose {@code keyColumn} names the parent and that
     * match {@code filter}, aggregated with {@code aggregate}. Votes count the effective votes ({@link EffectiveVotes}) of a
     * direction instead ({@code table} null, {@code filter} the direction).
     */
    record Children(String table, String keyColumn, String filter, String aggregate) {
        static final Children UPVOTES = new Children(null, "subject_uri", "up", null);
        static final Children DOWNVOTES = new Children(null, "subject_uri", "down", null);

        boolean votes() {
            return table == null;
        }
    }

    public final Parent parent;
    public final String column;
    final Children children;

    Counter(Parent parent, String column, Children children) {
        this.parent = parent;
        this.column = column;
        this.children = children;
    }

    /** The counters of one parent kind, in declaration order. */
    public static List<Counter> of(Parent parent) {
        return Arrays.stream(values()).filter(c -> c.parent == parent).toList();
    }

    // ---------------------------------------------------------------------------------- what one child counts for

    /**
     * A live comment counts on its root post and on its direct parent: a post's top-level comments when the post is its
     * root, a comment's replies when that comment is in the same thread (known only under the parent's lock:
     * {@link CounterDeltas#addReply}).
     */
    public static void comment(CounterDeltas deltas, String root, String parent, long sign) {
        if (Parent.ofUri(root) == Parent.POST) {
            deltas.add(POST_COMMENTS, root, sign);
        }
        Parent p = Parent.ofUri(parent);
        if (p == Parent.POST && parent.equals(root)) {
            deltas.add(POST_TOP_LEVEL_COMMENTS, parent, sign);
        } else if (p == Parent.COMMENT) {
            deltas.addReply(parent, root, sign);
        }
    }

    /** An effective vote counts in its direction on its subject (a post or a comment). */
    public static void vote(CounterDeltas deltas, String subject, String direction, long sign) {
        Parent p = Parent.ofUri(subject);
        if (p == null || direction == null) {
            return;
        }
        boolean up = Children.UPVOTES.filter().equals(direction);
        boolean down = Children.DOWNVOTES.filter().equals(direction);
        if (up || down) {
            deltas.add(p == Parent.POST ? (up ? POST_UPVOTES : POST_DOWNVOTES) : (up ? COMMENT_UPVOTES : COMMENT_DOWNVOTES), subject, sign);
        }
    }

    /** A subscribed (account, community) pair counts once on the community. */
    public static void subscription(CounterDeltas deltas, String community, long sign) {
        deltas.add(COMMUNITY_SUBSCRIBERS, community, sign);
    }

    /** A live post counts on its community. */
    public static void post(CounterDeltas deltas, String community, long sign) {
        deltas.add(COMMUNITY_POSTS, community, sign);
    }

    // --------------------------------------------------------------------------------------------- recounts in SQL

    /**
     * Sets every counter of the parents $1 (keys) to the count of their stored children; writes only rows whose counts
     * differ (most new parents have no children yet).
     */
    public static String recountKeys(Parent parent) {
        List<Counter> counters = of(parent);
        List<String> values = new ArrayList<>();
        boolean votes = false;
        for (Counter c : counters) {
            if (c.children.votes()) {
                votes = true;
                values.add("v." + c.children.filter());
            } else {
                // the filter as FILTER, not WHERE: in WHERE, "deleted_at IS NULL" invites the planner to AND in a whole
                // partial index (comments_author, posts_author) with the parent's index, for every key
                values.add("(SELECT %s FILTER (WHERE %s) FROM %s c WHERE c.%s = k.k)".formatted(
                        c.children.aggregate(), c.children.filter(), c.children.table(), c.children.keyColumn()));
            }
        }
        StringBuilder select = new StringBuilder("SELECT k.k");
        for (int i = 0; i < values.size(); i++) {
            select.append(", ").append(values.get(i)).append(" AS n").append(i);
        }
        select.append(" FROM unnest($1::text[]) AS k(k)");
        if (votes) {
            select.append(", LATERAL ").append(EffectiveVotes.countsOf("k.k")).append(" v");
        }
        return "UPDATE %s t SET %s FROM (%s) n WHERE t.%s = n.k AND t.%s = ANY($1::text[]) AND %s".formatted(
                parent.table, assignments(counters, "n"), select, parent.key, parent.key, differs(counters, "n"));
    }

    /**
     * Sets every counter of every {@code parent} row to the count of its stored children; the row count of the statement
     * is the number of rows that had drifted. Votes are read from the temporary table {@link
     * EffectiveVotes#temporaryTable} of the same transaction. {@code derived} adds one more column computed by a
     * (recursive) common table expression {@code name(key, value)}, for the comments' depth.
     */
    public static String recountAll(Parent parent, DerivedColumn derived) {
        List<Counter> counters = of(parent);
        List<String> ctes = new ArrayList<>();
        StringBuilder joins = new StringBuilder();
        List<String> values = new ArrayList<>();
        boolean votes = false;
        for (int i = 0; i < counters.size(); i++) {
            Children ch = counters.get(i).children;
            if (ch.votes()) {
                votes = true;
                values.add("COALESCE(v." + ch.filter() + ", 0)");
            } else {
                ctes.add("c%d AS (SELECT c.%s AS k, %s AS n FROM %s c WHERE %s GROUP BY 1)".formatted(i, ch.keyColumn(), ch.aggregate(), ch.table(), ch.filter()));
                joins.append(" LEFT JOIN c%d ON c%d.k = t.%s".formatted(i, i, parent.key));
                values.add("COALESCE(c%d.n, 0)".formatted(i));
            }
        }
        if (votes) {
            joins.insert(0, " LEFT JOIN effective_votes v ON v.subject_uri = t." + parent.key);
        }
        List<String> columns = new ArrayList<>(counters.stream().map(c -> c.column).toList());
        if (derived != null) {
            ctes.addFirst(derived.cte());
            joins.append(" LEFT JOIN %s ON %s.k = t.%s".formatted(derived.name(), derived.name(), parent.key));
            values.add(derived.name() + ".v");
            columns.add(derived.column());
        }
        StringBuilder want = new StringBuilder("SELECT t.").append(parent.key).append(" AS k");
        for (int i = 0; i < values.size(); i++) {
            want.append(", ").append(values.get(i)).append(" AS n").append(i);
        }
        want.append(" FROM ").append(parent.table).append(" t").append(joins);
        ctes.add("want AS (" + want + ")");
        return "WITH %s%s UPDATE %s t SET %s FROM want w WHERE t.%s = w.k AND %s".formatted(
                derived != null ? "RECURSIVE " : "", String.join(",\n     ", ctes), parent.table,
                assignments(columns, "w"), parent.key, differs(columns, "w"));
    }

    /** A column derived beside the counters by the CTE {@code name(k, v)} ({@code cte} is its whole definition). */
    public record DerivedColumn(String column, String name, String cte) {
    }

    private static String assignments(List<?> columns, String alias) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            out.add(name(columns.get(i)) + " = " + alias + ".n" + i);
        }
        return String.join(", ", out);
    }

    private static String differs(List<?> columns, String alias) {
        List<String> stored = new ArrayList<>();
        List<String> counted = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            stored.add("t." + name(columns.get(i)));
            counted.add(alias + ".n" + i);
        }
        return "(" + String.join(", ", stored) + ") IS DISTINCT FROM (" + String.join(", ", counted) + ")";
    }

    private static String name(Object column) {
        return column instanceof Counter c ? c.column : column.toString();
    }
}
