package social.coves.ingestor.indexer.comments;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.ingestor.indexer.RecordProjection;
import social.coves.ingestor.indexer.counts.ParentCounters;
import social.coves.ingestor.indexer.counts.ParentCounters.Parent;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.CommunityComment;

import java.util.Arrays;
import java.util.Objects;

import static social.coves.ingestor.indexer.ProjectionSupport.array;
import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.eventTime;
import static social.coves.ingestor.indexer.ProjectionSupport.json;
import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/**
 * {@code social.coves.community.comment} (in the commenter's repo) → {@code appview.comments}.
 *
 * <p>A live comment counts once in {@code posts.comment_count} of its root and once in its parent's
 * {@code top_level_comment_count} (parent = post) or {@code reply_count} (parent = comment). Deleted comments keep
 * their row and thread position with content blanked. {@code depth} is 0 under the post, parent depth + 1 below a
 * comment, NULL while an ancestor is unknown; inserting a comment fills the depth of its stored descendants.
 */
@ApplicationScoped
public class CommentProjection implements RecordProjection {

    private static final String CURRENT =
            "SELECT root_uri, parent_uri, deleted_at IS NULL AS live FROM appview.comments WHERE uri = $1 FOR UPDATE";

    private static final String DEPTH_OF_NEW = """
            CASE WHEN $15 THEN 0 ELSE (SELECT p.depth + 1 FROM appview.comments p WHERE p.uri = $7) END""";

    private static final String INSERT = """
            INSERT INTO appview.comments (uri, cid, author_did, rkey, root_uri, root_cid, parent_uri, parent_cid, content, facets,
                   embed, labels, langs, created_at, depth)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11::text::jsonb, $12, $13, $14, %s)""".formatted(DEPTH_OF_NEW);

    private static final String UPDATE = """
            UPDATE appview.comments SET cid = $2, author_did = $3, rkey = $4, root_uri = $5, root_cid = $6, parent_uri = $7,
                   parent_cid = $8, content = $9, facets = $10::text::jsonb, embed = $11::text::jsonb, labels = $12, langs = $13,
                   created_at = $14, depth = %s, deleted_at = NULL
             WHERE uri = $1""".formatted(DEPTH_OF_NEW);

    private static final String SOFT_DELETE = """
            UPDATE appview.comments SET cid = NULL, content = NULL, facets = NULL, embed = NULL, labels = NULL, langs = NULL,
                   deleted_at = $2
             WHERE uri = $1""";

    private static final String PLACEHOLDER = """
            INSERT INTO appview.comments (uri, author_did, rkey, deleted_at) VALUES ($1, $2, $3, $4)""";

    private static final String FILL_SHAPE = """
            UPDATE appview.comments SET root_uri = $2, root_cid = $3, parent_uri = $4, parent_cid = $5,
                   created_at = COALESCE(created_at, $6),
                   depth = CASE WHEN $7 THEN 0 ELSE (SELECT p.depth + 1 FROM appview.comments p WHERE p.uri = $4) END
             WHERE uri = $1 AND deleted_at IS NOT NULL AND root_uri IS NULL""";

    /** Fills the depth of every stored descendant of $1 (cycles in forged reply refs are cut by the depth cap). */
    private static final String DESCENDANT_DEPTHS = """
            WITH RECURSIVE d(uri, depth) AS (
                SELECT uri, depth FROM appview.comments WHERE uri = $1 AND depth IS NOT NULL
                UNION ALL
                SELECT c.uri, d.depth + 1 FROM appview.comments c JOIN d ON c.parent_uri = d.uri WHERE d.depth < 10000)
            UPDATE appview.comments c SET depth = d.depth FROM d WHERE c.uri = d.uri AND c.depth IS DISTINCT FROM d.depth""";

    @Override
    public String collection() {
        return CovesCollections.COMMUNITY_COMMENT;
    }

    @Override
    public Uni<Void> upsert(SqlConnection tx, EventEnvelope event) {
        CommunityComment comment = parse(event);
        if (comment == null) {
            return Uni.createFrom().voidItem();
        }
        String uri = event.commit().uri(event.did());
        String root = comment.reply().root().uri().toString();
        String parent = comment.reply().parent().uri().toString();
        Tuple values = values(event, comment, uri);
        return tx.preparedQuery(CURRENT).execute(Tuple.of(uri)).chain(rows -> {
            Row old = rows.iterator().hasNext() ? rows.iterator().next() : null;
            if (old == null) {
                return ParentCounters.lock(tx, uri)
                        .chain(() -> tx.preparedQuery(INSERT).execute(values))
                        .chain(() -> ParentCounters.recountComment(tx, uri))
                        .chain(() -> tx.preparedQuery(DESCENDANT_DEPTHS).execute(Tuple.of(uri)))
                        .chain(() -> contribute(tx, root, parent, 1));
            }
            boolean live = old.getBoolean("live");
            String oldRoot = old.getString("root_uri");
            String oldParent = old.getString("parent_uri");
            boolean moved = !Objects.equals(oldParent, parent);
            Uni<Void> update = tx.preparedQuery(UPDATE).execute(values).replaceWithVoid();
            if (moved) {
                update = update.chain(() -> tx.preparedQuery(DESCENDANT_DEPTHS).execute(Tuple.of(uri))).replaceWithVoid();
            }
            if (live && !moved && Objects.equals(oldRoot, root)) {
                return update;
            }
            return update.chain(() -> live ? contribute(tx, oldRoot, oldParent, -1) : Uni.createFrom().voidItem())
                    .chain(() -> contribute(tx, root, parent, 1));
        });
    }

    @Override
    public Uni<Void> delete(SqlConnection tx, EventEnvelope event) {
        String uri = event.commit().uri(event.did());
        return tx.preparedQuery(CURRENT).execute(Tuple.of(uri)).chain(rows -> {
            if (!rows.iterator().hasNext()) {
                return ParentCounters.lock(tx, uri)
                        .chain(() -> tx.preparedQuery(PLACEHOLDER)
                                .execute(Tuple.tuple(Arrays.asList(uri, event.did(), event.commit().rkey(), eventTime(event)))))
                        .chain(() -> ParentCounters.recountComment(tx, uri));
            }
            Row old = rows.iterator().next();
            if (!old.getBoolean("live")) {
                return Uni.createFrom().voidItem();
            }
            return tx.preparedQuery(SOFT_DELETE).execute(Tuple.tuple(Arrays.asList(uri, eventTime(event))))
                    .chain(() -> contribute(tx, old.getString("root_uri"), old.getString("parent_uri"), -1));
        });
    }

    @Override
    public Uni<Void> behindTombstone(SqlConnection tx, EventEnvelope event) {
        CommunityComment comment = parse(event);
        if (comment == null) {
            return Uni.createFrom().voidItem();
        }
        String uri = event.commit().uri(event.did());
        String parent = comment.reply().parent().uri().toString();
        Tuple shape = Tuple.tuple(Arrays.asList(uri, comment.reply().root().uri().toString(), comment.reply().root().cid().value(),
                parent, comment.reply().parent().cid().value(), createdAt(comment.createdAt(), event), Parent.ofUri(parent) == Parent.POST));
        return tx.preparedQuery(FILL_SHAPE).execute(shape)
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : tx.preparedQuery(DESCENDANT_DEPTHS).execute(Tuple.of(uri)).replaceWithVoid());
    }

    /** +1 / -1 of a live comment on its root post and its direct parent. */
    private static Uni<Void> contribute(SqlConnection tx, String root, String parent, long delta) {
        Uni<Void> onRoot = Parent.ofUri(root) == Parent.POST
                ? ParentCounters.bump(tx, Parent.POST, root, "comment_count", delta) : Uni.createFrom().voidItem();
        return onRoot.chain(() -> switch (Parent.ofUri(parent)) {
            case POST -> ParentCounters.bump(tx, Parent.POST, parent, "top_level_comment_count", delta);
            case COMMENT -> ParentCounters.bump(tx, Parent.COMMENT, parent, "reply_count", delta);
            case null, default -> Uni.createFrom().voidItem();
        });
    }

    private static CommunityComment parse(EventEnvelope event) {
        try {
            return CommunityComment.fromJson(event.commit().record());
        } catch (RuntimeException e) {
            skip(event, e.getMessage());
            return null;
        }
    }

    private static Tuple values(EventEnvelope event, CommunityComment c, String uri) {
        String parent = c.reply().parent().uri().toString();
        return Tuple.tuple(Arrays.asList(uri, event.commit().cid(), event.did(), event.commit().rkey(),
                c.reply().root().uri().toString(), c.reply().root().cid().value(), parent, c.reply().parent().cid().value(),
                c.content(), json(c.facets()), json(c.embed()), array(c.labels()), array(c.langs()),
                createdAt(c.createdAt(), event), Parent.ofUri(parent) == Parent.POST));
    }
}
