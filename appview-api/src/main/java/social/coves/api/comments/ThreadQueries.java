package social.coves.api.comments;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.cursor.CursorCodec;
import social.coves.api.feeds.FeedSort;
import social.coves.api.feeds.Timeframe;
import social.coves.api.hydration.PostHydrator;
import social.coves.api.hydration.ViewerVotes;
import social.coves.api.posts.PostView;
import social.coves.api.readyourwrites.RecentComments;
import social.coves.api.sql.Sql;
import social.coves.api.xrpc.XrpcException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Comment threads. The top level is a keyset page walked on one {@code comments_parent_*} index; every deeper level
 * is ONE query: the parents of the level go in as an array and a {@code LATERAL} walk of the same index takes the
 * first {@code perParent + 1} replies of each (the extra row says whether there are more). Deleted comments and
 * comments of inactive accounts are placeholders; they are shown only when they have replies, so the thread keeps
 * its shape without empty husks.
 */
@ApplicationScoped
public class ThreadQueries {

    public static final int REPLIES_PER_PARENT = 5;

    /**
     * Shown: comments placed in the thread (a depth: every ancestor known and of the same thread; a reply naming another
     * thread than its parent's has none), live, or placeholders that still have replies.
     */
    private static final String SHOWN = " AND c.depth IS NOT NULL AND (NOT " + CommentRows.HIDDEN + " OR c.reply_count > 0)";

    private final Pool pool;
    private final CursorCodec cursors;
    private final PostHydrator posts;
    private final ViewerVotes votes;

    private final RecentComments recentComments;
    private final ThreadPages pages;

    public ThreadQueries(Pool pool, CursorCodec cursors, PostHydrator posts, ViewerVotes votes, RecentComments recentComments,
                         ThreadPages pages) {
        this.pages = pages;
        this.recentComments = recentComments;
        this.pool = pool;
        this.cursors = cursors;
        this.posts = posts;
        this.votes = votes;
    }

    public record Request(String postUri, FeedSort sort, Timeframe timeframe, int depth, int limit, String cursor,
                          Optional<String> viewer) {
    }

    public Uni<CommentsPage> thread(Request q) {
        String kind = "comments|" + q.sort().key() + (q.sort() == FeedSort.TOP ? "|" + q.timeframe().name() : "") + "|" + q.postUri();
        List<String> after = q.cursor() == null || q.cursor().isEmpty() ? null
                : cursors.decode(kind, q.cursor(), q.sort() == FeedSort.TOP ? 3 : 2);
        var key = new ThreadPages.Key(q.postUri(), q.sort(), q.sort() == FeedSort.TOP ? q.timeframe() : Timeframe.ALL, q.depth(), q.limit(),
                q.cursor() == null ? "" : q.cursor());
        // the same page for every reader (kept until the thread or the post's community changes), then the viewer's part
        return pages.get(key, k -> page(q, kind, after)).chain(kept -> {
            List<Node> top = new ArrayList<>(kept.top().stream().map(Node::copy).toList());
            return (after == null ? withOwnRecentComments(q.viewer(), q.postUri(), top) : Uni.createFrom().voidItem())
                    .chain(() -> withViewer(q.viewer(), kept.post(), top))
                    .map(p -> new CommentsPage(top.stream().map(n -> n.render(false)).toList(), p, kept.next()));
        });
    }

    /** A page of the thread without viewer state: the post, the top level with its replies, the cursor after it. */
    private Uni<ThreadPages.Page<Node>> page(Request q, String kind, List<String> after) {
        // the post and the top level are read side by side (two statements at once, not one after the other)
        return Uni.combine().all().unis(posts.threadRoot(q.postUri()), topLevel(q, after)).asTuple().chain(both -> {
            PostView post = both.getItem1().orElseThrow(() -> XrpcException.notFound("NotFound", "post not found: " + q.postUri()));
            List<Row> rows = both.getItem2();
            boolean more = rows.size() > q.limit();
            List<Row> page = more ? rows.subList(0, q.limit()) : rows;
            List<Node> top = page.stream().map(r -> new Node(CommentRows.view(r))).toList();
            String next = more ? nextCursor(kind, q.sort(), page.getLast()) : null;
            return expand(top, q.depth(), q.sort()).map(done -> new ThreadPages.Page<>(post, top, next));
        });
    }

    private Uni<List<Row>> topLevel(Request q, List<String> after) {
        Sql sql = new Sql();
        sql.append("SELECT ").append(CommentRows.COLUMNS).append(CommentRows.FROM);
        sql.append("WHERE c.parent_uri = " + sql.bind(q.postUri())).append(SHOWN);
        if (q.sort() == FeedSort.TOP) {
            Sql s = sql;
            q.timeframe().window().ifPresent(w -> s.append(" AND c.created_at > " + s.bind(OffsetDateTime.now(ZoneOffset.UTC).minus(w))));
        }
        if (after != null) {
            keyset(sql, q.sort(), after);
        }
        sql.append(" ORDER BY ").append(order("c.", q.sort())).append(" LIMIT " + sql.bind(q.limit() + 1));
        return pool.preparedQuery(sql.text()).execute(sql.tuple()).map(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            return list;
        });
    }

    /** Loads {@code remaining} levels below {@code level}, one query per level. */
    private Uni<Void> expand(List<Node> level, int remaining, FeedSort sort) {
        if (level.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (remaining <= 0) {
            level.forEach(n -> n.hasMore = n.view.stats().replyCount() > 0);
            return Uni.createFrom().voidItem();
        }
        String sql = levelSql(sort);
        Map<String, Node> byUri = new HashMap<>();
        level.forEach(n -> byUri.put(n.view.uri(), n));
        String[] parents = level.stream().map(n -> n.view.uri()).toArray(String[]::new);
        return pool.preparedQuery(sql).execute(Tuple.of(parents, REPLIES_PER_PARENT + 1)).chain(rows -> {
            List<Node> next = new ArrayList<>();
            for (Row r : rows) {
                Node parent = byUri.get(r.getString("parent_uri"));
                if (parent.replies.size() == REPLIES_PER_PARENT) {
                    parent.hasMore = true;
                    continue;
                }
                Node child = new Node(CommentRows.view(r));
                parent.replies.add(child);
                next.add(child);
            }
            return expand(next, remaining - 1, sort);
        });
    }

    /**
     * Read-your-writes on the first page: the viewer's comments written through this AppView and not yet indexed are
     * shown (newest first, on top of their parent when it is on the page), the ones they deleted are gone at once.
     */
    private Uni<Void> withOwnRecentComments(Optional<String> viewer, String postUri, List<Node> top) {
        if (viewer.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return recentComments.in(viewer.get(), postUri).map(pending -> {
            if (pending.isEmpty()) {
                return null;
            }
            removeDeleted(top, pending.deleted());
            Map<String, Node> byUri = new HashMap<>();
            List<Node> all = new ArrayList<>();
            top.forEach(n -> n.collect(all));
            all.forEach(n -> byUri.put(n.view.uri(), n));
            for (CommentView mine : pending.created().reversed()) {
                Node node = new Node(mine);
                if (mine.parent() == null) {
                    top.addFirst(node);
                } else if (byUri.containsKey(mine.parent().uri())) {
                    byUri.get(mine.parent().uri()).replies.addFirst(node);
                }
                byUri.put(mine.uri(), node);
            }
            return null;
        });
    }

    private static void removeDeleted(List<Node> nodes, java.util.Set<String> deleted) {
        nodes.removeIf(n -> deleted.contains(n.view.uri()) && n.replies.isEmpty());
        nodes.forEach(n -> removeDeleted(n.replies, deleted));
    }

    private Uni<PostView> withViewer(Optional<String> viewer, PostView post, List<Node> top) {
        if (viewer.isEmpty()) {
            return Uni.createFrom().item(post);
        }
        List<Node> all = new ArrayList<>();
        top.forEach(n -> n.collect(all));
        List<String> subjects = new ArrayList<>();
        subjects.add(post.uri());
        all.stream().filter(n -> !n.view.placeholder()).forEach(n -> subjects.add(n.view.uri()));
        return votes.of(viewer.get(), subjects).map(byUri -> {
            for (Node n : all) {
                if (!n.view.placeholder()) {
                    n.view = n.view.withViewer(byUri.getOrDefault(n.view.uri(), new PostView.Viewer(null, null)));
                }
            }
            return byUri.containsKey(post.uri()) ? post.withViewer(byUri.get(post.uri())) : post;
        });
    }

    /** One level of replies: {@code $1} the parents' URIs, {@code $2} replies per parent (plus one). */
    static String levelSql(FeedSort sort) {
        return "SELECT x.* FROM unnest($1::text[]) WITH ORDINALITY AS par(puri, ord) CROSS JOIN LATERAL (SELECT "
                + CommentRows.COLUMNS + CommentRows.FROM + "WHERE c.parent_uri = par.puri COLLATE \"C\"" + SHOWN
                + " ORDER BY " + order("c.", sort) + " LIMIT $2) x ORDER BY par.ord, " + order("x.", sort);
    }

    /** The first top-level page without timeframe ({@code $1} post URI, {@code $2} limit); for plan checks. */
    static String topLevelSql(FeedSort sort) {
        return "SELECT " + CommentRows.COLUMNS + CommentRows.FROM + "WHERE c.parent_uri = $1" + SHOWN
                + " ORDER BY " + order("c.", sort) + " LIMIT $2";
    }

    static String order(String alias, FeedSort sort) {
        return switch (sort) {
            case HOT -> alias + "hot_key DESC, " + alias + "uri DESC";
            case TOP -> alias + "score DESC, " + alias + "created_at DESC, " + alias + "uri DESC";
            case NEW -> alias + "created_at DESC, " + alias + "uri DESC";
        };
    }

    private static void keyset(Sql sql, FeedSort sort, List<String> values) {
        try {
            switch (sort) {
                case HOT -> sql.append(" AND (c.hot_key, c.uri) < (" + sql.bind(Double.parseDouble(values.get(0))) + ", "
                        + sql.bind(values.get(1)) + ")");
                case TOP -> sql.append(" AND (c.score, c.created_at, c.uri) < (" + sql.bind(Long.parseLong(values.get(0))) + ", "
                        + sql.bind(OffsetDateTime.parse(values.get(1))) + ", " + sql.bind(values.get(2)) + ")");
                case NEW -> sql.append(" AND (c.created_at, c.uri) < (" + sql.bind(OffsetDateTime.parse(values.get(0))) + ", "
                        + sql.bind(values.get(1)) + ")");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw CursorCodec.invalid("it is malformed");
        }
    }

    private String nextCursor(String kind, FeedSort sort, Row last) {
        OffsetDateTime created = last.getOffsetDateTime("created_at");
        String createdAt = (created == null ? Instant.EPOCH.atOffset(ZoneOffset.UTC) : created).toString();
        return cursors.encode(kind, switch (sort) {
            case HOT -> List.of(Double.toString(last.getDouble("hot_key")), last.getString("uri"));
            case TOP -> List.of(Long.toString(last.getLong("score")), createdAt, last.getString("uri"));
            case NEW -> List.of(createdAt, last.getString("uri"));
        });
    }

    private static final class Node {
        CommentView view;
        final List<Node> replies = new ArrayList<>();
        boolean hasMore;

        Node(CommentView view) {
            this.view = view;
        }

        /** This node and its replies, copied: a kept page's nodes are never changed, a request changes its copy. */
        Node copy() {
            Node copy = new Node(view);
            copy.hasMore = hasMore;
            replies.forEach(r -> copy.replies.add(r.copy()));
            return copy;
        }

        void collect(List<Node> into) {
            into.add(this);
            replies.forEach(r -> r.collect(into));
        }

        ThreadViewComment render(boolean asReply) {
            List<ThreadViewComment> rendered = replies.isEmpty() ? null : replies.stream().map(r -> r.render(true)).toList();
            Boolean more = hasMore ? Boolean.TRUE : null;
            return asReply ? ThreadViewComment.reply(view, rendered, more) : ThreadViewComment.topLevel(view, rendered, more);
        }
    }
}
