package social.coves.ingestor.indexer.posts;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.ingestor.indexer.RecordProjection;
import social.coves.ingestor.indexer.counts.ParentCounters;
import social.coves.ingestor.indexer.counts.ParentCounters.Parent;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.CommunityPost;

import java.time.OffsetDateTime;
import java.util.Arrays;

import static social.coves.ingestor.indexer.ProjectionSupport.array;
import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.eventTime;
import static social.coves.ingestor.indexer.ProjectionSupport.json;
import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/**
 * {@code social.coves.community.post} (in the community's repo) → {@code appview.posts}; keeps the community's
 * {@code post_count}. Deletes keep the row (content blanked, {@code deleted_at} = delete event time); a delete of an
 * unknown post leaves a placeholder row that an older create may later fill with author and creation time.
 */
@ApplicationScoped
public class PostProjection implements RecordProjection {

    private static final String CURRENT = "SELECT deleted_at IS NULL AS live FROM appview.posts WHERE uri = $1 FOR UPDATE";

    private static final String INSERT = """
            INSERT INTO appview.posts (uri, cid, community_did, rkey, author_did, title, content, facets, embed, embed_type,
                   labels, langs, tags, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9::text::jsonb, $10, $11, $12, $13, $14)""";

    private static final String UPDATE = """
            UPDATE appview.posts SET cid = $2, author_did = $5, title = $6, content = $7, facets = $8::text::jsonb, embed = $9::text::jsonb,
                   embed_type = $10, labels = $11, langs = $12, tags = $13, created_at = $14, deleted_at = NULL
             WHERE uri = $1 AND community_did = $3 AND rkey = $4""";

    private static final String SOFT_DELETE = """
            UPDATE appview.posts SET cid = NULL, title = NULL, content = NULL, facets = NULL, embed = NULL, embed_type = NULL,
                   labels = NULL, langs = NULL, tags = NULL, deleted_at = $2
             WHERE uri = $1""";

    private static final String PLACEHOLDER = """
            INSERT INTO appview.posts (uri, community_did, rkey, deleted_at) VALUES ($1, $2, $3, $4)""";

    private static final String FILL_SHAPE = """
            UPDATE appview.posts SET author_did = COALESCE(author_did, $2), created_at = COALESCE(created_at, $3)
             WHERE uri = $1 AND deleted_at IS NOT NULL AND (author_did IS NULL OR created_at IS NULL)""";

    @Override
    public String collection() {
        return CovesCollections.COMMUNITY_POST;
    }

    @Override
    public Uni<Void> upsert(SqlConnection tx, EventEnvelope event) {
        CommunityPost post;
        try {
            post = CommunityPost.fromJson(event.commit().record());
        } catch (RuntimeException e) {
            skip(event, e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (post.community().isDid() && !post.community().value().equals(event.did())) {
            skip(event, "community " + post.community() + " is not the repo " + event.did());
            return Uni.createFrom().voidItem();
        }
        String uri = event.commit().uri(event.did());
        Tuple values = Tuple.tuple(Arrays.asList(uri, event.commit().cid(), event.did(), event.commit().rkey(),
                post.author().value(), post.title(), post.content(), json(post.facets()), json(post.embed()), post.embedType(),
                array(post.labels()), array(post.langs()), array(post.tags()), createdAt(post.createdAt(), event)));
        return current(tx, uri).chain(live -> {
            if (live == null) {
                return ParentCounters.lock(tx, uri)
                        .chain(() -> tx.preparedQuery(INSERT).execute(values))
                        .chain(() -> ParentCounters.recountPost(tx, uri))
                        .chain(() -> ParentCounters.bump(tx, Parent.COMMUNITY, event.did(), "post_count", 1));
            }
            Uni<RowSet<Row>> update = tx.preparedQuery(UPDATE).execute(values);
            return live ? update.replaceWithVoid()
                    : update.chain(() -> ParentCounters.bump(tx, Parent.COMMUNITY, event.did(), "post_count", 1));
        });
    }

    @Override
    public Uni<Void> delete(SqlConnection tx, EventEnvelope event) {
        String uri = event.commit().uri(event.did());
        OffsetDateTime at = eventTime(event);
        return current(tx, uri).chain(live -> {
            if (live == null) {
                return ParentCounters.lock(tx, uri)
                        .chain(() -> tx.preparedQuery(PLACEHOLDER).execute(Tuple.tuple(Arrays.asList(uri, event.did(), event.commit().rkey(), at))))
                        .chain(() -> ParentCounters.recountPost(tx, uri));
            }
            if (!live) {
                return Uni.createFrom().voidItem();
            }
            return tx.preparedQuery(SOFT_DELETE).execute(Tuple.tuple(Arrays.asList(uri, at)))
                    .chain(() -> ParentCounters.bump(tx, Parent.COMMUNITY, event.did(), "post_count", -1));
        });
    }

    @Override
    public Uni<Void> behindTombstone(SqlConnection tx, EventEnvelope event) {
        CommunityPost post;
        try {
            post = CommunityPost.fromJson(event.commit().record());
        } catch (RuntimeException e) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(FILL_SHAPE).execute(Tuple.tuple(Arrays.asList(event.commit().uri(event.did()),
                post.author().value(), createdAt(post.createdAt(), event)))).replaceWithVoid();
    }

    /** null = no row, true = live, false = soft-deleted. */
    private static Uni<Boolean> current(SqlConnection tx, String uri) {
        return tx.preparedQuery(CURRENT).execute(Tuple.of(uri))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getBoolean("live") : null);
    }
}
