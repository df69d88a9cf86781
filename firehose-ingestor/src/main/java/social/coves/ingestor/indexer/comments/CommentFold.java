package social.coves.ingestor.indexer.comments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.ingestor.indexer.CollectionFold;
import social.coves.ingestor.indexer.Decided;
import social.coves.ingestor.indexer.FoldBatch;
import social.coves.ingestor.indexer.FoldStatements;
import social.coves.ingestor.indexer.RecordKey;
import social.coves.ingestor.indexer.RowJson;
import social.coves.ingestor.indexer.counts.CommentDepth;
import social.coves.ingestor.indexer.counts.Counter;
import social.coves.ingestor.indexer.counts.Parent;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.CommunityComment;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.eventTime;
import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/**
 * {@code social.coves.community.comment} (in the commenter's repo) → {@code appview.comments}. A create or update
 * replaces the row; a delete keeps the row and its thread position with the content blanked (a placeholder without a
 * position when the comment was never seen); an older create behind a tombstone fills a placeholder's position. A live
 * comment counts on its root post and its parent ({@link Counter#comment}); its depth follows {@link CommentDepth}.
 */
public final class CommentFold implements CollectionFold {

    private static final Logger LOG = Logger.getLogger(CommentFold.class);

    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    static final String CURRENT = """
            SELECT uri, deleted_at IS NULL AS live, root_uri, root_cid, parent_uri, parent_cid, created_at, depth
              FROM appview.comments WHERE uri = ANY($1::text[])""";

    /**
     * Full comment rows. A row marked {@code keep_depth} (an edit that keeps its parent; its row exists) keeps the stored
     * depth: {@code -1} carries the mark through {@code EXCLUDED}, never into a row.
     */
    private static final String FULL = """
            INSERT INTO appview.comments AS c (uri, cid, author_did, rkey, root_uri, root_cid, parent_uri, parent_cid, content,
                   facets, embed, labels, langs, created_at, deleted_at, depth)
            SELECT uri, cid, author_did, rkey, root_uri, root_cid, parent_uri, parent_cid, content, facets, embed, labels, langs,
                   created_at, deleted_at, CASE WHEN keep_depth THEN -1 ELSE depth END
              FROM jsonb_to_recordset($1::text::jsonb) AS x(uri text, cid text, author_did text, rkey text, root_uri text,
                   root_cid text, parent_uri text, parent_cid text, content text, facets jsonb, embed jsonb, labels text[],
                   langs text[], created_at timestamptz, deleted_at timestamptz, depth int, keep_depth boolean)
             ORDER BY uri
            ON CONFLICT (uri) DO UPDATE SET cid = EXCLUDED.cid, author_did = EXCLUDED.author_did, rkey = EXCLUDED.rkey,
                   root_uri = EXCLUDED.root_uri, root_cid = EXCLUDED.root_cid, parent_uri = EXCLUDED.parent_uri,
                   parent_cid = EXCLUDED.parent_cid, content = EXCLUDED.content, facets = EXCLUDED.facets, embed = EXCLUDED.embed,
                   labels = EXCLUDED.labels, langs = EXCLUDED.langs, created_at = EXCLUDED.created_at,
                   deleted_at = EXCLUDED.deleted_at, depth = CASE WHEN EXCLUDED.depth = -1 THEN c.depth ELSE EXCLUDED.depth END""";

    private static final String PARTIAL = """
            UPDATE appview.comments c SET
                   root_uri = x.root_uri, root_cid = x.root_cid, parent_uri = x.parent_uri, parent_cid = x.parent_cid,
                   created_at = x.created_at,
                   deleted_at = CASE WHEN x.blank THEN x.deleted_at ELSE c.deleted_at END,
                   cid = CASE WHEN x.blank THEN NULL ELSE c.cid END, content = CASE WHEN x.blank THEN NULL ELSE c.content END,
                   facets = CASE WHEN x.blank THEN NULL ELSE c.facets END, embed = CASE WHEN x.blank THEN NULL ELSE c.embed END,
                   labels = CASE WHEN x.blank THEN NULL ELSE c.labels END, langs = CASE WHEN x.blank THEN NULL ELSE c.langs END
              FROM jsonb_to_recordset($1::text::jsonb) AS x(uri text, blank boolean, deleted_at timestamptz, root_uri text,
                   root_cid text, parent_uri text, parent_cid text, created_at timestamptz)
             WHERE c.uri = x.uri AND c.uri = ANY($2::text[])""";

    @Override
    public Set<String> collections() {
        return Set.of(CovesCollections.COMMUNITY_COMMENT);
    }

    @Override
    public Uni<Writes> read(FoldBatch batch, List<Decided> events) {
        Map<RecordKey, List<Decided>> byRecord = Decided.byRecord(events);
        // the stored comments of the batch and the stored parents of its replies (their depth gives the new rows' depth)
        Set<String> reads = new LinkedHashSet<>();
        byRecord.keySet().forEach(k -> reads.add(k.uri()));
        events.forEach(d -> {
            String parent = d.event().commit().record() == null ? null
                    : d.event().commit().record().path("reply").path("parent").path("uri").asText(null);
            if (Parent.ofUri(parent) == Parent.COMMENT) {
                reads.add(parent);
            }
        });
        return batch.exec("COMMENTS_CURRENT", CURRENT, Tuple.of((Object) reads.toArray(String[]::new))).map(rows -> {
            Map<String, Row> stored = new HashMap<>();
            rows.forEach(r -> stored.put(r.getString("uri"), r));
            ArrayNode full = J.arrayNode();
            ArrayNode partial = J.arrayNode();
            List<String> depthSeeds = new ArrayList<>();
            Map<String, State> folded = new HashMap<>();
            byRecord.forEach((key, decided) ->
                    folded.put(key.uri(), fold(batch, key, decided, stored.get(key.uri()), full, partial, depthSeeds)));
            if (batch.countersMaintained()) {
                depths(folded, stored);
            }
            byRecord.keySet().forEach(k -> batch.locks().comments.add(k.uri()));
            batch.locks().depthSeeds.addAll(depthSeeds);
            return b -> {
                List<Supplier<Uni<?>>> steps = new ArrayList<>();
                if (!full.isEmpty()) {
                    steps.add(() -> b.exec("COMMENTS_FULL", FULL, Tuple.of(full.toString())));
                }
                if (!partial.isEmpty()) {
                    steps.add(() -> b.exec("COMMENTS_PARTIAL", PARTIAL, Tuple.of(partial.toString(), RowJson.uris(partial))));
                }
                if (!depthSeeds.isEmpty() && b.countersMaintained()) {
                    // only rows this batch has locked: its own comments and the descendants read under its thread locks
                    steps.add(() -> b.exec("COMMENT_DEPTHS", CommentDepth.OF_SEEDS, Tuple.of(depthSeeds.toArray(String[]::new),
                            b.locks().comments.toArray(String[]::new))));
                }
                return FoldStatements.pipeline(steps);
            };
        });
    }

    /** The fold of one comment's events over its stored row. */
    private static final class State {
        boolean existed, wasLive, exists, live, full, blank, shapeChanged;
        String oldRoot, oldParent;
        String root, rootCid, parent, parentCid;
        OffsetDateTime createdAt, deletedAt;
        EventEnvelope source;
        CommunityComment record;
        /** The full row to write (null for a partial update), which gets its depth once the whole batch is folded. */
        ObjectNode row;
    }

    private static State fold(FoldBatch batch, RecordKey key, List<Decided> events, Row stored, ArrayNode full, ArrayNode partial,
                              List<String> depthSeeds) {
        State s = new State();
        if (stored != null) {
            s.existed = s.exists = true;
            s.wasLive = s.live = stored.getBoolean("live");
            s.oldRoot = s.root = stored.getString("root_uri");
            s.rootCid = stored.getString("root_cid");
            s.oldParent = s.parent = stored.getString("parent_uri");
            s.parentCid = stored.getString("parent_cid");
            s.createdAt = stored.getOffsetDateTime("created_at");
        }
        for (Decided d : events) {
            EventEnvelope e = d.event();
            if (d.appliedWrite()) {
                CommunityComment c = parse(e);
                if (c == null) {
                    continue;
                }
                s.exists = s.live = s.full = true;
                s.record = c;
                s.source = e;
                shape(s, c);
                s.createdAt = createdAt(c.createdAt(), e);
                s.deletedAt = null;
            } else if (d.applied()) {
                if (!s.exists) {
                    s.exists = s.full = true;
                    s.live = false;
                    s.record = null;
                    s.root = s.rootCid = s.parent = s.parentCid = null;
                    s.createdAt = null;
                    s.deletedAt = eventTime(e);
                } else if (s.live) {
                    s.live = false;
                    s.blank = true;
                    s.record = null;
                    s.deletedAt = eventTime(e);
                }
            } else if (d.writeBehindTombstone()) {
                CommunityComment c = parse(e);
                if (c != null && s.exists && !s.live && s.root == null) {
                    shape(s, c);
                    s.createdAt = s.createdAt != null ? s.createdAt : createdAt(c.createdAt(), e);
                    s.shapeChanged = true;
                }
            }
        }
        String uri = key.uri();
        boolean seed = false;
        if (s.full) {
            ObjectNode row = full.addObject().put("uri", uri).put("author_did", key.did()).put("rkey", key.rkey())
                    .put("root_uri", s.root).put("root_cid", s.rootCid).put("parent_uri", s.parent).put("parent_cid", s.parentCid)
                    .put("created_at", RowJson.ts(s.createdAt)).put("deleted_at", RowJson.ts(s.deletedAt));
            if (s.record != null) {
                CommunityComment c = s.record;
                row.put("cid", s.source.commit().cid()).put("content", c.content());
                RowJson.putJson(row, "facets", c.facets());
                RowJson.putJson(row, "embed", c.embed());
                RowJson.putArray(row, "labels", c.labels());
                RowJson.putArray(row, "langs", c.langs());
            }
            if (s.existed && s.oldParent != null && s.oldParent.equals(s.parent)) {
                // an edit in place: its depth, and its descendants', stay as stored (the stored row is the authority:
                // the depth read with it may be older than a fill-in another replica has just committed)
                row.put("keep_depth", true);
            } else {
                seed = true;
            }
            s.row = row;
        } else if (s.blank || s.shapeChanged) {
            partial.addObject().put("uri", uri).put("blank", s.blank).put("deleted_at", RowJson.ts(s.deletedAt))
                    .put("root_uri", s.root).put("root_cid", s.rootCid).put("parent_uri", s.parent).put("parent_cid", s.parentCid)
                    .put("created_at", RowJson.ts(s.createdAt));
            seed = s.shapeChanged;
        }
        if (!s.existed && s.exists) {
            batch.counters().recountAtEnd(Parent.COMMENT, uri);
            batch.locks().inserted.add(uri);
        } else if (s.existed && !Objects.equals(s.oldRoot, s.root)) {
            // moved to another thread (or a placeholder's thread filled in): which replies count on it changes
            batch.counters().recountAtEnd(Parent.COMMENT, uri);
        }
        if (seed) {
            depthSeeds.add(uri);
            // a comment placed in a thread (new, moved, its shape filled in): the thread's lock, before and after
            // (BatchLockOrder), under which its stored descendants are read and their depths filled in
            if (s.oldRoot != null) {
                batch.locks().threads.add(s.oldRoot);
            }
            if (s.root != null) {
                batch.locks().threads.add(s.root);
            }
        }
        if (s.wasLive) {
            Counter.comment(batch.counters(), s.oldRoot, s.oldParent, -1);
        }
        if (s.live) {
            Counter.comment(batch.counters(), s.root, s.parent, 1);
        }
        return s;
    }

    /**
     * Puts the depth into every full comment row, its parent folded in this batch or stored; {@link
     * CommentDepth#OF_SEEDS} then only has to fix what the batch could not see. A reply whose parent is known to be in
     * another thread is reported: it stays stored (its author's record) but is placed in no thread.
     */
    private static void depths(Map<String, State> folded, Map<String, Row> stored) {
        Map<String, Integer> memo = new HashMap<>();
        folded.forEach((uri, state) -> {
            if (state.row != null) {
                Integer depth = depth(uri, folded, stored, memo, new HashSet<>());
                if (depth != null) {
                    state.row.put("depth", depth);
                }
            }
            if (state.live && state.full) {
                String parentRoot = Parent.ofUri(state.parent) == Parent.COMMENT ? rootOf(state.parent, folded, stored) : null;
                if (parentRoot != null && !parentRoot.equals(state.root)) {
                    Metrics.counter("coves_indexer_misplaced_comments_total").increment();
                    LOG.warnf("indexer: %s is not placed in a thread: its parent %s is in the thread of %s, not of its root %s",
                            uri, state.parent, parentRoot, state.root);
                }
            }
        });
    }

    private static Integer depth(String uri, Map<String, State> folded, Map<String, Row> stored, Map<String, Integer> memo,
                                 Set<String> path) {
        if (memo.containsKey(uri)) {
            return memo.get(uri);
        }
        State row = folded.get(uri);
        Integer depth;
        if (!placedByThisBatch(row)) {
            Row s = stored.get(uri);
            depth = s == null ? null : s.getInteger("depth");
        } else if (!path.add(uri)) {
            return null;   // a cycle of forged reply refs: no depth, as in SQL
        } else {
            boolean underComment = Parent.ofUri(row.parent) == Parent.COMMENT;
            depth = CommentDepth.below(row.root, row.parent, underComment ? rootOf(row.parent, folded, stored) : null,
                    underComment ? depth(row.parent, folded, stored, memo, path) : null);
        }
        memo.put(uri, depth);
        return depth;
    }

    /** Whether the batch writes the comment's thread position (a full row, or a placeholder's shape filled). */
    private static boolean placedByThisBatch(State row) {
        return row != null && (row.row != null || row.shapeChanged);
    }

    /** The thread of a comment as this batch leaves it (null when unknown). */
    private static String rootOf(String uri, Map<String, State> folded, Map<String, Row> stored) {
        State row = folded.get(uri);
        if (row != null && row.exists) {
            return row.root;
        }
        Row s = stored.get(uri);
        return s == null ? null : s.getString("root_uri");
    }

    private static void shape(State s, CommunityComment c) {
        s.root = c.reply().root().uri().toString();
        s.rootCid = c.reply().root().cid().value();
        s.parent = c.reply().parent().uri().toString();
        s.parentCid = c.reply().parent().cid().value();
    }

    private static CommunityComment parse(EventEnvelope e) {
        try {
            return CommunityComment.fromJson(e.commit().record());
        } catch (RuntimeException ex) {
            skip(e, ex.getMessage());
            return null;
        }
    }
}
