package social.coves.ingestor.indexer.posts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.ingestor.indexer.CollectionFold;
import social.coves.ingestor.indexer.Decided;
import social.coves.ingestor.indexer.FoldBatch;
import social.coves.ingestor.indexer.FoldStatements;
import social.coves.ingestor.indexer.RecordKey;
import social.coves.ingestor.indexer.RowJson;
import social.coves.ingestor.indexer.counts.Counter;
import social.coves.ingestor.indexer.counts.Parent;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.CommunityPost;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.eventTime;
import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/**
 * {@code social.coves.community.post} (in the community's repo) → {@code appview.posts}. A create or update replaces
 * the row; a delete keeps the row with its content blanked (a placeholder when the post was never seen); an older
 * create behind a tombstone fills a placeholder's author and creation time, never its content. A live post counts on
 * its community ({@link Counter#post}). A record naming another community than its repo is skipped.
 */
public final class PostFold implements CollectionFold {

    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    static final String CURRENT = """
            SELECT uri, deleted_at IS NULL AS live, author_did, created_at FROM appview.posts WHERE uri = ANY($1::text[])""";

    private static final String FULL = """
            INSERT INTO appview.posts AS p (uri, cid, community_did, rkey, author_did, title, content, facets, embed, embed_type,
                   labels, langs, tags, created_at, deleted_at)
            SELECT uri, cid, community_did, rkey, author_did, title, content, facets, embed, embed_type, labels, langs, tags,
                   created_at, deleted_at
              FROM jsonb_to_recordset($1::text::jsonb) AS x(uri text, cid text, community_did text, rkey text, author_did text,
                   title text, content text, facets jsonb, embed jsonb, embed_type text, labels text[], langs text[],
                   tags text[], created_at timestamptz, deleted_at timestamptz)
             ORDER BY uri
            ON CONFLICT (uri) DO UPDATE SET cid = EXCLUDED.cid, author_did = EXCLUDED.author_did, title = EXCLUDED.title,
                   content = EXCLUDED.content, facets = EXCLUDED.facets, embed = EXCLUDED.embed, embed_type = EXCLUDED.embed_type,
                   labels = EXCLUDED.labels, langs = EXCLUDED.langs, tags = EXCLUDED.tags, created_at = EXCLUDED.created_at,
                   deleted_at = EXCLUDED.deleted_at""";

    /**
     * A stored row that only got deleted (content blanked) and/or had its missing shape filled. {@code uri = ANY($2)}
     * repeats the join key so that the cached generic plan probes the primary key whatever the table's size was when it
     * was planned (joined to a record set alone, a plan made on a small table scans the whole table).
     */
    private static final String PARTIAL = """
            UPDATE appview.posts p SET
                   author_did = x.author_did, created_at = x.created_at,
                   deleted_at = CASE WHEN x.blank THEN x.deleted_at ELSE p.deleted_at END,
                   cid = CASE WHEN x.blank THEN NULL ELSE p.cid END, title = CASE WHEN x.blank THEN NULL ELSE p.title END,
                   content = CASE WHEN x.blank THEN NULL ELSE p.content END, facets = CASE WHEN x.blank THEN NULL ELSE p.facets END,
                   embed = CASE WHEN x.blank THEN NULL ELSE p.embed END, embed_type = CASE WHEN x.blank THEN NULL ELSE p.embed_type END,
                   labels = CASE WHEN x.blank THEN NULL ELSE p.labels END, langs = CASE WHEN x.blank THEN NULL ELSE p.langs END,
                   tags = CASE WHEN x.blank THEN NULL ELSE p.tags END
              FROM jsonb_to_recordset($1::text::jsonb) AS x(uri text, blank boolean, deleted_at timestamptz, author_did text,
                   created_at timestamptz)
             WHERE p.uri = x.uri AND p.uri = ANY($2::text[])""";

    @Override
    public Set<String> collections() {
        return Set.of(CovesCollections.COMMUNITY_POST);
    }

    @Override
    public Uni<Writes> read(FoldBatch batch, List<Decided> events) {
        Map<RecordKey, List<Decided>> byRecord = Decided.byRecord(events);
        String[] uris = byRecord.keySet().stream().map(RecordKey::uri).toArray(String[]::new);
        return batch.exec("POSTS_CURRENT", CURRENT, Tuple.of((Object) uris)).map(rows -> {
            Map<String, Row> stored = new HashMap<>();
            rows.forEach(r -> stored.put(r.getString("uri"), r));
            ArrayNode full = J.arrayNode();
            ArrayNode partial = J.arrayNode();
            byRecord.forEach((key, decided) -> fold(batch, key, decided, stored.get(key.uri()), full, partial));
            byRecord.keySet().forEach(k -> batch.locks().posts.add(k.uri()));
            return b -> {
                List<Supplier<Uni<?>>> steps = new ArrayList<>();
                if (!full.isEmpty()) {
                    steps.add(() -> b.exec("POSTS_FULL", FULL, Tuple.of(full.toString())));
                }
                if (!partial.isEmpty()) {
                    steps.add(() -> b.exec("POSTS_PARTIAL", PARTIAL, Tuple.of(partial.toString(), RowJson.uris(partial))));
                }
                return FoldStatements.pipeline(steps);
            };
        });
    }

    /** The fold of one post's events over its stored row. */
    private static final class State {
        boolean existed, wasLive, exists, live, full, blank, shapeChanged;
        String author;
        OffsetDateTime createdAt, deletedAt;
        EventEnvelope source;
        CommunityPost record;
    }

    private static void fold(FoldBatch batch, RecordKey key, List<Decided> events, Row stored, ArrayNode full, ArrayNode partial) {
        State s = new State();
        if (stored != null) {
            s.existed = s.exists = true;
            s.wasLive = s.live = stored.getBoolean("live");
            s.author = stored.getString("author_did");
            s.createdAt = stored.getOffsetDateTime("created_at");
        }
        for (Decided d : events) {
            EventEnvelope e = d.event();
            if (d.appliedWrite()) {
                CommunityPost post = parse(e, true);
                if (post == null) {
                    continue;
                }
                if (post.community().isDid() && !post.community().value().equals(e.did())) {
                    skip(e, "community " + post.community() + " is not the repo " + e.did());
                    continue;
                }
                s.exists = s.live = s.full = true;
                s.record = post;
                s.source = e;
                s.author = post.author().value();
                s.createdAt = createdAt(post.createdAt(), e);
                s.deletedAt = null;
            } else if (d.applied()) {
                if (!s.exists) {
                    s.exists = s.full = true;
                    s.live = false;
                    s.record = null;
                    s.author = null;
                    s.createdAt = null;
                    s.deletedAt = eventTime(e);
                } else if (s.live) {
                    s.live = false;
                    s.blank = true;
                    s.record = null;
                    s.deletedAt = eventTime(e);
                }
            } else if (d.writeBehindTombstone()) {
                CommunityPost post = parse(e, false);
                if (post != null && s.exists && !s.live && (s.author == null || s.createdAt == null)) {
                    s.author = s.author != null ? s.author : post.author().value();
                    s.createdAt = s.createdAt != null ? s.createdAt : createdAt(post.createdAt(), e);
                    s.shapeChanged = true;
                }
            }
        }
        String uri = key.uri();
        if (s.full) {
            ObjectNode row = full.addObject().put("uri", uri).put("community_did", key.did()).put("rkey", key.rkey())
                    .put("author_did", s.author).put("created_at", RowJson.ts(s.createdAt)).put("deleted_at", RowJson.ts(s.deletedAt));
            if (s.record != null) {
                CommunityPost p = s.record;
                row.put("cid", s.source.commit().cid()).put("title", p.title()).put("content", p.content())
                        .put("embed_type", p.embedType());
                RowJson.putJson(row, "facets", p.facets());
                RowJson.putJson(row, "embed", p.embed());
                RowJson.putArray(row, "labels", p.labels());
                RowJson.putArray(row, "langs", p.langs());
                RowJson.putArray(row, "tags", p.tags());
            }
        } else if (s.blank || s.shapeChanged) {
            partial.addObject().put("uri", uri).put("blank", s.blank).put("deleted_at", RowJson.ts(s.deletedAt))
                    .put("author_did", s.author).put("created_at", RowJson.ts(s.createdAt));
        }
        if (!s.existed && s.exists) {
            batch.counters().recountAtEnd(Parent.POST, uri);
            batch.locks().inserted.add(uri);
        }
        Counter.post(batch.counters(), key.did(), (s.live ? 1 : 0) - (s.wasLive ? 1 : 0));
    }

    private static CommunityPost parse(EventEnvelope e, boolean report) {
        try {
            return CommunityPost.fromJson(e.commit().record());
        } catch (RuntimeException ex) {
            if (report) {
                skip(e, ex.getMessage());
            }
            return null;
        }
    }
}
