package social.coves.ingestor.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import social.coves.ingestor.indexer.RecordLedger.Outcome;
import social.coves.ingestor.indexer.actors.FirstSight;
import social.coves.ingestor.indexer.counts.ParentCounters.Parent;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.CommunityComment;
import social.coves.lexicon.records.CommunityPost;
import social.coves.lexicon.records.CommunitySubscription;
import social.coves.lexicon.records.Vote;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import static social.coves.ingestor.indexer.ProjectionSupport.createdAt;
import static social.coves.ingestor.indexer.ProjectionSupport.eventTime;
import static social.coves.ingestor.indexer.ProjectionSupport.skip;

/**
 * The set-based fold of one batch of repo events: the same result as applying the envelopes one after the other through
 * {@link RecordLedger} and the {@link RecordProjection}s ({@link RepoEventIndexer#apply}), in a fixed small number of
 * statements per batch instead of 3–8 per event.
 *
 * <ol>
 *   <li><b>Ledger</b>: one statement reads the stored (rev, deleted) of every record key of the batch and writes the
 *   newest rev per key. The per-event outcome (applied / behind a tombstone / behind) is then decided in Java by running
 *   the rev rule over the batch's events of each key in delivery order — exactly what the per-event ledger decides.</li>
 *   <li><b>Reads and the fold in Java</b>, before any projection row is written: the stored rows of the batch's posts and
 *   comments (and the stored parents of its replies) are read once and each key's events folded in Java (upsert
 *   replaces, delete soft-deletes / leaves a placeholder, an older create behind a tombstone fills the missing shape);
 *   for votes and subscriptions the effective vote (greatest rkey) per (voter, subject), resp. "subscribed" per
 *   (subscriber, community), is read for every touched pair.</li>
 *   <li><b>Votes</b> (rows of the batch's own repos, which no other replica writes) with one upsert and one delete
 *   statement, then the effective votes again: the subjects' counter deltas. Now every parent row the batch will write
 *   is known.</li>
 *   <li><b>Locks</b>: those rows are locked in the order every batch uses ({@link BatchLockOrder}), so concurrent
 *   indexer replicas never deadlock.</li>
 *   <li><b>Writes</b>: collections without a set-based path (community profiles, blocks, aggregators) run their per-event
 *   projection with the ledger's outcome, in delivery order; posts and comments are written with one statement per
 *   table and form (full row / partial update), and the depths of every comment placed in a thread (new, moved, shape
 *   filled in) and of their stored descendants with one recursive statement; subscriptions with one upsert and one
 *   delete statement, then "subscribed" is read again.</li>
 *   <li><b>Counters</b>: every counter is a function of the rows, so the change of each parent's counters is the
 *   difference between the children's contributions before and after; the deltas are summed per parent in Java and
 *   applied with one {@code UPDATE … FROM unnest} per table. Parents that did not exist before this batch were locked
 *   by key before they are inserted and are recounted from their stored children at the end, as in the per-event
 *   path; a delta whose parent has no row changes nothing (the parent's key lock makes its insert wait for this batch,
 *   and its recount counts this batch's children).</li>
 *   <li>Actor profiles last, in DID order ({@link ActorLockOrder}).</li>
 * </ol>
 *
 * <p>With {@link Counters#DEFERRED} (a rebuild into an empty schema, {@code ProjectionRebuild}) the counters, the
 * effective-vote / subscribed look-ups they need, the comment depths and the parent locks are left out: every counter
 * and depth is computed set-based once at the end, which writes each parent row once instead of once per batch that
 * touches it.
 * Depths must wait for the end when several workers fold at once: a reply and its parent folded in concurrent
 * transactions do not see each other, so neither could give the reply its depth.
 */
final class BatchFold {

    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    record Key(String did, String collection, String rkey) {
        String uri() {
            return "at://" + did + "/" + collection + "/" + rkey;
        }
    }

    /** One event with what the ledger decided for it. */
    record Decided(EventEnvelope event, Outcome outcome) {
    }

    /*
     * Plan shape: every batch statement looks its keys up one by one in an index, so a batch costs the same on a table
     * of a thousand rows as on one of a hundred million. Where the planner would rather hash-join a whole table against
     * the batch (it does once a batch holds a few hundred keys), the lookup is a LATERAL subquery with LIMIT/OFFSET
     * (which keeps it from being flattened into a join), or the key is repeated as {@code key = ANY($n)}.
     * ReplayBenchmark -Dcoves.bench.explain=true prints the plans.
     */

    static final String LEDGER = """
            WITH i AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[])
                                  AS u(did, collection, rkey, rev, cid, deleted)),
                 o AS (SELECT i.did, i.collection, i.rkey, r.rev, r.deleted FROM i
                         CROSS JOIN LATERAL (SELECT r.rev, r.deleted FROM appview.records r
                                              WHERE r.did = i.did AND r.collection = i.collection AND r.rkey = i.rkey LIMIT 1) r),
                 w AS (INSERT INTO appview.records AS r (did, collection, rkey, rev, cid, deleted)
                       SELECT did, collection, rkey, rev, cid, deleted FROM i ORDER BY did, collection, rkey
                       ON CONFLICT (did, collection, rkey) DO UPDATE
                          SET rev = EXCLUDED.rev, cid = EXCLUDED.cid, deleted = EXCLUDED.deleted, updated_at = now()
                        WHERE r.rev < EXCLUDED.rev)
            SELECT did, collection, rkey, rev, deleted FROM o""";

    private static final String POSTS_CURRENT = """
            SELECT uri, deleted_at IS NULL AS live, author_did, created_at FROM appview.posts WHERE uri = ANY($1::text[])""";

    private static final String POSTS_FULL = """
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
    private static final String POSTS_PARTIAL = """
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

    private static final String COMMENTS_CURRENT = """
            SELECT uri, deleted_at IS NULL AS live, root_uri, root_cid, parent_uri, parent_cid, created_at, depth
              FROM appview.comments WHERE uri = ANY($1::text[])""";

    /**
     * Full comment rows. A row marked {@code keep_depth} (an edit that keeps its parent; its row exists) keeps the stored
     * depth: {@code -1} carries the mark through {@code EXCLUDED}, never into a row.
     */
    private static final String COMMENTS_FULL = """
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

    private static final String COMMENTS_PARTIAL = """
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

    /**
     * Rows are written with the depth the fold derives from the batch and the stored parents ({@link #depths}); this
     * statement is the authority that corrects what that cannot see, so it normally writes only stored descendants.
     * Depth of every comment whose thread position was written in this batch, and of all their stored descendants:
     * 0 under a post, parent depth + 1 below a comment, NULL while an ancestor is unknown. The walk starts at the written
     * comments whose parent was not written in this batch (the others are reached from their parent); cycles in forged
     * reply refs are cut by the depth cap, as in the per-event path. A comment reached both as a start row and through
     * its parent takes the depth through its parent: the start row read the parent's depth from before this walk,
     * which the walk may just have filled (an ancestor arriving in the same batch as an edit of a stored descendant).
     * Only rows in {@code $2} are written: the comments the batch has locked ({@link BatchLockOrder}: its own and the
     * stored descendants read under its thread locks), so the walk takes no row lock outside the batch's lock set.
     */
    static final String COMMENT_DEPTHS = """
            WITH RECURSIVE s AS (SELECT DISTINCT unnest($1::text[]) COLLATE "C" AS uri),
            d(uri, depth, n) AS (
                SELECT c.uri, CASE WHEN strpos(c.parent_uri, '/social.coves.community.post/') > 0 THEN 0 ELSE p.depth + 1 END, 0
                  FROM appview.comments c
                  LEFT JOIN LATERAL (SELECT p.depth FROM appview.comments p WHERE p.uri = c.parent_uri LIMIT 1) p ON true
                 WHERE c.uri = ANY($1::text[])
                   AND (c.parent_uri IS NULL OR NOT EXISTS (SELECT 1 FROM s s2 WHERE s2.uri = c.parent_uri))
                UNION ALL
                SELECT c.uri, d.depth + 1, d.n + 1 FROM d
                 CROSS JOIN LATERAL (SELECT c.uri FROM appview.comments c WHERE c.parent_uri = d.uri OFFSET 0) c
                 WHERE d.depth IS NOT NULL AND d.n < 10000),
            w AS MATERIALIZED (SELECT DISTINCT ON (uri) uri, depth FROM d ORDER BY uri, n = 0, n)
            UPDATE appview.comments c SET depth = w.depth
              FROM w
             WHERE c.uri = w.uri AND c.uri = ANY(ARRAY(SELECT uri FROM w)) AND c.depth IS DISTINCT FROM w.depth
               AND c.uri = ANY($2::text[])""";

    static final String VOTES_EFFECTIVE = """
            WITH pairs AS (SELECT voter_did AS voter, subject_uri AS subject FROM appview.votes WHERE uri = ANY($1::text[])
                           UNION SELECT * FROM unnest($2::text[], $3::text[]))
            SELECT p.voter, p.subject, v.direction
              FROM pairs p
             CROSS JOIN LATERAL (SELECT v.direction FROM appview.votes v WHERE v.voter_did = p.voter AND v.subject_uri = p.subject
                                  ORDER BY v.rkey DESC LIMIT 1) v""";

    private static final String VOTES_UPSERT = """
            INSERT INTO appview.votes AS v (uri, cid, voter_did, rkey, subject_uri, subject_cid, direction, created_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::timestamptz[]) ORDER BY 1
            ON CONFLICT (uri) DO UPDATE SET cid = EXCLUDED.cid, subject_uri = EXCLUDED.subject_uri,
                   subject_cid = EXCLUDED.subject_cid, direction = EXCLUDED.direction, created_at = EXCLUDED.created_at""";

    static final String SUBS_SUBSCRIBED = """
            WITH pairs AS (SELECT subscriber_did AS subscriber, community_did AS community FROM appview.subscriptions
                            WHERE uri = ANY($1::text[])
                           UNION SELECT * FROM unnest($2::text[], $3::text[]))
            SELECT p.subscriber, p.community
              FROM pairs p
             CROSS JOIN LATERAL (SELECT 1 FROM appview.subscriptions s
                                  WHERE s.subscriber_did = p.subscriber AND s.community_did = p.community LIMIT 1) s""";

    private static final String SUBS_UPSERT = """
            INSERT INTO appview.subscriptions AS s (uri, cid, subscriber_did, rkey, community_did, content_visibility, created_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::timestamptz[])
             ORDER BY 1
            ON CONFLICT (uri) DO UPDATE SET cid = EXCLUDED.cid, community_did = EXCLUDED.community_did,
                   content_visibility = EXCLUDED.content_visibility, created_at = EXCLUDED.created_at""";

    private static final String VOTES_OF = """
            (SELECT count(*) FILTER (WHERE e.direction = 'up') AS up, count(*) FILTER (WHERE e.direction = 'down') AS down
               FROM (SELECT DISTINCT ON (v.voter_did) v.direction FROM appview.votes v WHERE v.subject_uri = k.k
                      ORDER BY v.voter_did, v.rkey DESC) e)""";

    /** Recounts of parents new in this batch; most have no children yet, so only rows whose counts differ are written. */
    static final String RECOUNT_POSTS = """
            UPDATE appview.posts p SET upvotes = n.up, downvotes = n.down, comment_count = n.all_comments, top_level_comment_count = n.top
              FROM (SELECT k.k, v.up, v.down,
                           (SELECT count(*) FILTER (WHERE c.deleted_at IS NULL) FROM appview.comments c WHERE c.root_uri = k.k) AS all_comments,
                           (SELECT count(*) FILTER (WHERE c.deleted_at IS NULL) FROM appview.comments c WHERE c.parent_uri = k.k) AS top
                      FROM unnest($1::text[]) AS k(k), LATERAL %s v) n
             WHERE p.uri = n.k AND p.uri = ANY($1::text[])
               AND (p.upvotes, p.downvotes, p.comment_count, p.top_level_comment_count) IS DISTINCT FROM (n.up, n.down, n.all_comments, n.top)"""
            .formatted(VOTES_OF);

    static final String RECOUNT_COMMENTS = """
            UPDATE appview.comments p SET upvotes = n.up, downvotes = n.down, reply_count = n.replies
              FROM (SELECT k.k, v.up, v.down,
                           (SELECT count(*) FILTER (WHERE c.deleted_at IS NULL) FROM appview.comments c WHERE c.parent_uri = k.k) AS replies
                      FROM unnest($1::text[]) AS k(k), LATERAL %s v) n
             WHERE p.uri = n.k AND p.uri = ANY($1::text[]) AND (p.upvotes, p.downvotes, p.reply_count) IS DISTINCT FROM (n.up, n.down, n.replies)"""
            .formatted(VOTES_OF);

    /** Counter columns per parent table, in the order of the delta arrays. */
    private static final Map<Parent, String[]> COLUMNS = Map.of(
            Parent.POST, new String[]{"upvotes", "downvotes", "comment_count", "top_level_comment_count"},
            Parent.COMMENT, new String[]{"upvotes", "downvotes", "reply_count"},
            Parent.COMMUNITY, new String[]{"subscriber_count", "post_count"});

    private static final DateTimeFormatter TS = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    /** Whether each batch keeps the parents' counters exact, or leaves them to a recount at the end (a rebuild). */
    enum Counters { MAINTAINED, DEFERRED }

    private final Map<String, RecordProjection> projections;
    private final Counters counters;

    BatchFold(Map<String, RecordProjection> projections, Counters counters) {
        this.projections = projections;
        this.counters = counters;
    }

    private boolean maintained() {
        return counters == Counters.MAINTAINED;
    }

    // ------------------------------------------------------------------------------------------------ per batch state

    /** Everything one batch accumulates; not shared between batches. */
    private final class Run {
        final SqlConnection tx;
        /** parent → key → deltas (in {@link #COLUMNS} order). */
        final Map<Parent, Map<String, long[]>> deltas = new HashMap<>();
        final Set<String> newPosts = new TreeSet<>();
        final Set<String> newComments = new TreeSet<>();
        /** The parent rows and keys this batch writes, locked before its first write to them ({@link BatchLockOrder}). */
        final BatchLockOrder.Plan locks = new BatchLockOrder.Plan();

        Run(SqlConnection tx) {
            this.tx = tx;
        }

        void add(Parent parent, String key, int column, long delta) {
            if (!maintained() || parent == null || key == null || delta == 0) {
                return;
            }
            deltas.computeIfAbsent(parent, p -> new TreeMap<>())
                    .computeIfAbsent(key, k -> new long[COLUMNS.get(parent).length])[column] += delta;
        }
    }

    Uni<Void> apply(SqlConnection tx, List<EventEnvelope> envelopes) {
        Map<Key, List<EventEnvelope>> byKey = new LinkedHashMap<>();
        for (EventEnvelope e : envelopes) {
            if (e.commit() != null) {
                byKey.computeIfAbsent(new Key(e.did(), e.commit().collection(), e.commit().rkey()), k -> new ArrayList<>()).add(e);
            }
        }
        if (byKey.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Run run = new Run(tx);
        return ledger(tx, byKey).chain(decided -> {
            Map<String, Map<Key, List<Decided>>> byCollection = new HashMap<>();
            List<Decided> sequential = new ArrayList<>();
            Map<Key, Integer> cursor = new HashMap<>();
            for (EventEnvelope e : envelopes) {
                if (e.commit() == null) {
                    continue;
                }
                Key key = new Key(e.did(), e.commit().collection(), e.commit().rkey());
                int at = cursor.merge(key, 1, Integer::sum) - 1;
                Decided d = decided.get(key).get(at);
                String c = key.collection();
                if (c.equals(CovesCollections.COMMUNITY_POST) || c.equals(CovesCollections.COMMUNITY_COMMENT)
                        || c.equals(CovesCollections.FEED_VOTE) || c.equals(CovesCollections.COMMUNITY_SUBSCRIPTION)) {
                    byCollection.computeIfAbsent(c, x -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(d);
                } else if (projections.containsKey(c)) {
                    sequential.add(d);
                }
            }
            Map<Key, List<Decided>> posts = byCollection.getOrDefault(CovesCollections.COMMUNITY_POST, Map.of());
            Map<Key, List<Decided>> comments = byCollection.getOrDefault(CovesCollections.COMMUNITY_COMMENT, Map.of());
            Map<Key, List<Decided>> votes = byCollection.getOrDefault(CovesCollections.FEED_VOTE, Map.of());
            Map<Key, List<Decided>> subs = byCollection.getOrDefault(CovesCollections.COMMUNITY_SUBSCRIPTION, Map.of());
            VoteChanges voteChanges = votes.isEmpty() ? null : voteChanges(votes);
            SubscriptionChanges subChanges = subs.isEmpty() ? null : subscriptionChanges(subs);

            // 1. read (sent at once): the stored posts and comments of the batch, effective votes and subscriptions before
            Uni<ThreadWrites> threads = posts.isEmpty() && comments.isEmpty() ? Uni.createFrom().nullItem()
                    : readThreads(run, posts, comments);
            Uni<Void> votesBefore = voteChanges == null || !maintained() ? Uni.createFrom().voidItem() : votesBefore(run, voteChanges);
            Uni<Void> subsBefore = subChanges == null || !maintained() ? Uni.createFrom().voidItem() : subscriptionsBefore(run, subChanges);
            return Uni.combine().all().unis(threads, votesBefore, subsBefore).asTuple().chain(read -> {
                ThreadWrites threadWrites = read.getItem1();
                List<Supplier<Uni<?>>> steps = new ArrayList<>();
                // 2. the vote records: rows of the batch's own repos, which no other replica writes, so they need no
                // parent lock (BatchLockOrder (3)); their counter deltas are known before the locks are taken
                if (voteChanges != null) {
                    steps.add(() -> writeVotes(run, voteChanges));
                }
                if (maintained()) {
                    // 3. lock every parent row the batch writes, in the order every batch takes them (BatchLockOrder)
                    steps.add(() -> {
                        for (Decided d : sequential) {
                            if (d.event().commit().collection().equals(CovesCollections.COMMUNITY_PROFILE)) {
                                run.locks.communities.add(d.event().did());
                            }
                        }
                        run.deltas.forEach((parent, keys) -> keys.keySet().forEach(k -> run.locks.add(parent, k)));
                        return BatchLockOrder.acquire(tx, run.locks);
                    });
                }
                // 4. write the rows other replicas also write
                List<Decided> actorProfiles = new ArrayList<>();
                for (Decided d : sequential) {
                    if (d.event().commit().collection().equals(CovesCollections.ACTOR_PROFILE)) {
                        actorProfiles.add(d);
                    } else {
                        steps.add(() -> perEvent(tx, d));
                    }
                }
                if (threadWrites != null) {
                    steps.add(() -> writeThreads(run, threadWrites));
                }
                if (subChanges != null) {
                    steps.add(() -> writeSubscriptions(run, subChanges));
                }
                if (maintained()) {
                    steps.add(() -> applyDeltas(run));
                    steps.add(() -> recount(run));
                }
                // actor rows last and in DID order, as the identity batch takes them: the profiles, and the accounts the
                // batch names for the first time (FirstSight)
                steps.addAll(FirstSight.inDidOrder(tx, envelopes, ActorLockOrder.sorted(actorProfiles, x -> x.event().did()),
                        x -> x.event().did(), d -> perEvent(tx, d)));
                return sequence(steps);
            });
        });
    }

    private Uni<Void> perEvent(SqlConnection tx, Decided d) {
        RecordProjection projection = projections.get(d.event().commit().collection());
        EventEnvelope event = d.event();
        return switch (d.outcome()) {
            case APPLIED -> event.commit().isDelete() ? projection.delete(tx, event) : projection.upsert(tx, event);
            case BEHIND_TOMBSTONE -> event.commit().isDelete() || event.commit().record() == null
                    ? Uni.createFrom().voidItem() : projection.behindTombstone(tx, event);
            case BEHIND -> Uni.createFrom().voidItem();
        };
    }

    // ------------------------------------------------------------------------------------------------------ ledger

    /** Writes the newest rev per key and decides every event as the per-event ledger would, in delivery order. */
    private static Uni<Map<Key, List<Decided>>> ledger(SqlConnection tx, Map<Key, List<EventEnvelope>> byKey) {
        int n = byKey.size();
        String[] dids = new String[n], cols = new String[n], rkeys = new String[n], revs = new String[n], cids = new String[n];
        Boolean[] deleted = new Boolean[n];
        int i = 0;
        for (var entry : byKey.entrySet()) {
            EventEnvelope newest = null;
            for (EventEnvelope e : entry.getValue()) {   // the first delivered of the greatest rev wins, as in the per-event path
                if (newest == null || e.commit().rev().compareTo(newest.commit().rev()) > 0) {
                    newest = e;
                }
            }
            Key k = entry.getKey();
            dids[i] = k.did();
            cols[i] = k.collection();
            rkeys[i] = k.rkey();
            revs[i] = newest.commit().rev();
            cids[i] = newest.commit().cid();
            deleted[i] = newest.commit().isDelete();
            i++;
        }
        return exec(tx, "LEDGER", LEDGER, Tuple.of(dids, cols, rkeys, revs, cids, deleted)).map(rows -> {
            Map<Key, String[]> stored = new HashMap<>();
            for (Row r : rows) {
                stored.put(new Key(r.getString(0), r.getString(1), r.getString(2)),
                        new String[]{r.getString(3), String.valueOf(r.getBoolean(4))});
            }
            Map<Key, List<Decided>> out = new HashMap<>();
            for (var entry : byKey.entrySet()) {
                List<Decided> decisions = new ArrayList<>(entry.getValue().size());
                out.put(entry.getKey(), decisions);
                String[] s = stored.get(entry.getKey());
                String rev = s == null ? null : s[0];
                boolean dead = s != null && Boolean.parseBoolean(s[1]);
                for (EventEnvelope e : entry.getValue()) {
                    Outcome o;
                    if (rev == null || rev.compareTo(e.commit().rev()) < 0) {
                        o = Outcome.APPLIED;
                        rev = e.commit().rev();
                        dead = e.commit().isDelete();
                    } else {
                        o = dead ? Outcome.BEHIND_TOMBSTONE : Outcome.BEHIND;
                    }
                    decisions.add(new Decided(e, o));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------- posts and comments

    /** The fold of one post's events over its stored row. */
    private static final class PostRow {
        boolean existed, wasLive, exists, live, full, blank, shapeChanged;
        String author;
        OffsetDateTime createdAt, deletedAt;
        EventEnvelope source;
        CommunityPost record;
    }

    /** The fold of one comment's events over its stored row. */
    private static final class CommentRow {
        boolean existed, wasLive, exists, live, full, blank, shapeChanged;
        String oldRoot, oldParent;
        String root, rootCid, parent, parentCid;
        OffsetDateTime createdAt, deletedAt;
        EventEnvelope source;
        CommunityComment record;
        /** The full row to write (null for a partial update), which gets its depth once the whole batch is folded. */
        ObjectNode row;
    }

    /** What the fold of a batch's posts and comments writes. */
    private record ThreadWrites(ArrayNode postFull, ArrayNode postPartial, ArrayNode commentFull, ArrayNode commentPartial,
                                List<String> depthSeeds) {
    }

    /**
     * Reads the stored posts and comments of the batch (and the stored parents of its replies) and folds their events
     * in Java: the rows to write, the counter deltas, and what the batch locks ({@link Run#locks}).
     */
    private Uni<ThreadWrites> readThreads(Run run, Map<Key, List<Decided>> posts, Map<Key, List<Decided>> comments) {
        SqlConnection tx = run.tx;
        String[] postUris = posts.keySet().stream().map(Key::uri).toArray(String[]::new);
        // the stored comments of the batch and the stored parents of its replies (their depth gives the new rows' depth)
        Set<String> commentReads = new LinkedHashSet<>();
        comments.keySet().forEach(k -> commentReads.add(k.uri()));
        comments.values().forEach(events -> events.forEach(d -> {
            String parent = d.event().commit().record() == null ? null
                    : d.event().commit().record().path("reply").path("parent").path("uri").asText(null);
            if (Parent.ofUri(parent) == Parent.COMMENT) {
                commentReads.add(parent);
            }
        }));
        String[] commentUris = commentReads.toArray(String[]::new);
        Uni<RowSet<Row>> storedPosts = postUris.length == 0 ? Uni.createFrom().nullItem()
                : exec(tx, "POSTS_CURRENT", POSTS_CURRENT, Tuple.of((Object) postUris));
        Uni<RowSet<Row>> storedComments = commentUris.length == 0 ? Uni.createFrom().nullItem()
                : exec(tx, "COMMENTS_CURRENT", COMMENTS_CURRENT, Tuple.of((Object) commentUris));
        // both reads are sent at once (pipelined on the connection)
        return Uni.combine().all().unis(storedPosts, storedComments).asTuple().map(both -> {
            RowSet<Row> pr = both.getItem1();
            RowSet<Row> cr = both.getItem2();
            Map<String, Row> oldPosts = new HashMap<>();
            if (pr != null) {
                pr.forEach(r -> oldPosts.put(r.getString("uri"), r));
            }
            Map<String, Row> oldComments = new HashMap<>();
            if (cr != null) {
                cr.forEach(r -> oldComments.put(r.getString("uri"), r));
            }
            ArrayNode postFull = J.arrayNode(), postPartial = J.arrayNode();
            for (var entry : posts.entrySet()) {
                foldPost(run, entry.getKey(), entry.getValue(), oldPosts.get(entry.getKey().uri()), postFull, postPartial);
            }
            ArrayNode commentFull = J.arrayNode(), commentPartial = J.arrayNode();
            List<String> depthSeeds = new ArrayList<>();
            Map<String, CommentRow> folded = new HashMap<>();
            for (var entry : comments.entrySet()) {
                folded.put(entry.getKey().uri(), foldComment(run, entry.getKey(), entry.getValue(),
                        oldComments.get(entry.getKey().uri()), commentFull, commentPartial, depthSeeds));
            }
            if (maintained()) {
                depths(folded, oldComments);
            }
            // the batch's own rows are locked with the parents (other batches update them as parents)
            posts.keySet().forEach(k -> run.locks.posts.add(k.uri()));
            comments.keySet().forEach(k -> run.locks.comments.add(k.uri()));
            run.locks.inserted.addAll(run.newPosts);
            run.locks.inserted.addAll(run.newComments);
            run.locks.depthSeeds.addAll(depthSeeds);
            return new ThreadWrites(postFull, postPartial, commentFull, commentPartial, depthSeeds);
        });
    }

    /** Writes the folded posts and comments, then (counters maintained) the depths of their stored descendants. */
    private Uni<Void> writeThreads(Run run, ThreadWrites w) {
        SqlConnection tx = run.tx;
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        if (!w.postFull().isEmpty()) {
            steps.add(() -> exec(tx, "POSTS_FULL", POSTS_FULL, Tuple.of(w.postFull().toString())));
        }
        if (!w.postPartial().isEmpty()) {
            steps.add(() -> exec(tx, "POSTS_PARTIAL", POSTS_PARTIAL, Tuple.of(w.postPartial().toString(), uris(w.postPartial()))));
        }
        if (!w.commentFull().isEmpty()) {
            steps.add(() -> exec(tx, "COMMENTS_FULL", COMMENTS_FULL, Tuple.of(w.commentFull().toString())));
        }
        if (!w.commentPartial().isEmpty()) {
            steps.add(() -> exec(tx, "COMMENTS_PARTIAL", COMMENTS_PARTIAL, Tuple.of(w.commentPartial().toString(), uris(w.commentPartial()))));
        }
        if (!w.depthSeeds().isEmpty() && maintained()) {
            // only rows this batch has locked: its own comments and the descendants read under its thread locks
            steps.add(() -> exec(tx, "COMMENT_DEPTHS", COMMENT_DEPTHS, Tuple.of(w.depthSeeds().toArray(String[]::new),
                    run.locks.comments.toArray(String[]::new))));
        }
        return pipeline(steps);
    }
    private static void foldPost(Run run, Key key, List<Decided> events, Row stored, ArrayNode full, ArrayNode partial) {
        PostRow s = new PostRow();
        if (stored != null) {
            s.existed = s.exists = true;
            s.wasLive = s.live = stored.getBoolean("live");
            s.author = stored.getString("author_did");
            s.createdAt = stored.getOffsetDateTime("created_at");
        }
        for (Decided d : events) {
            EventEnvelope e = d.event();
            if (d.outcome() == Outcome.APPLIED && !e.commit().isDelete()) {
                CommunityPost post;
                try {
                    post = CommunityPost.fromJson(e.commit().record());
                } catch (RuntimeException ex) {
                    skip(e, ex.getMessage());
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
            } else if (d.outcome() == Outcome.APPLIED) {
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
            } else if (d.outcome() == Outcome.BEHIND_TOMBSTONE && !e.commit().isDelete() && e.commit().record() != null) {
                CommunityPost post;
                try {
                    post = CommunityPost.fromJson(e.commit().record());
                } catch (RuntimeException ex) {
                    continue;
                }
                if (s.exists && !s.live && (s.author == null || s.createdAt == null)) {
                    s.author = s.author != null ? s.author : post.author().value();
                    s.createdAt = s.createdAt != null ? s.createdAt : createdAt(post.createdAt(), e);
                    s.shapeChanged = true;
                }
            }
        }
        String uri = key.uri();
        if (s.full) {
            ObjectNode row = full.addObject().put("uri", uri).put("community_did", key.did()).put("rkey", key.rkey())
                    .put("author_did", s.author).put("created_at", ts(s.createdAt)).put("deleted_at", ts(s.deletedAt));
            if (s.record != null) {
                CommunityPost p = s.record;
                row.put("cid", s.source.commit().cid()).put("title", p.title()).put("content", p.content())
                        .put("embed_type", p.embedType());
                putJson(row, "facets", p.facets());
                putJson(row, "embed", p.embed());
                putArray(row, "labels", p.labels());
                putArray(row, "langs", p.langs());
                putArray(row, "tags", p.tags());
            }
        } else if (s.blank || s.shapeChanged) {
            partial.addObject().put("uri", uri).put("blank", s.blank).put("deleted_at", ts(s.deletedAt))
                    .put("author_did", s.author).put("created_at", ts(s.createdAt));
        }
        if (!s.existed && s.exists) {
            run.newPosts.add(uri);
        }
        run.add(Parent.COMMUNITY, key.did(), 1, (s.live ? 1 : 0) - (s.wasLive ? 1 : 0));
    }

    private static CommentRow foldComment(Run run, Key key, List<Decided> events, Row stored, ArrayNode full, ArrayNode partial,
                                          List<String> depthSeeds) {
        CommentRow s = new CommentRow();
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
            if (d.outcome() == Outcome.APPLIED && !e.commit().isDelete()) {
                CommunityComment c;
                try {
                    c = CommunityComment.fromJson(e.commit().record());
                } catch (RuntimeException ex) {
                    skip(e, ex.getMessage());
                    continue;
                }
                s.exists = s.live = s.full = true;
                s.record = c;
                s.source = e;
                shape(s, c, e);
                s.createdAt = createdAt(c.createdAt(), e);
                s.deletedAt = null;
            } else if (d.outcome() == Outcome.APPLIED) {
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
            } else if (d.outcome() == Outcome.BEHIND_TOMBSTONE && !e.commit().isDelete() && e.commit().record() != null) {
                CommunityComment c;
                try {
                    c = CommunityComment.fromJson(e.commit().record());
                } catch (RuntimeException ex) {
                    skip(e, ex.getMessage());
                    continue;
                }
                if (s.exists && !s.live && s.root == null) {
                    shape(s, c, e);
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
                    .put("created_at", ts(s.createdAt)).put("deleted_at", ts(s.deletedAt));
            if (s.record != null) {
                CommunityComment c = s.record;
                row.put("cid", s.source.commit().cid()).put("content", c.content());
                putJson(row, "facets", c.facets());
                putJson(row, "embed", c.embed());
                putArray(row, "labels", c.labels());
                putArray(row, "langs", c.langs());
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
            partial.addObject().put("uri", uri).put("blank", s.blank).put("deleted_at", ts(s.deletedAt))
                    .put("root_uri", s.root).put("root_cid", s.rootCid).put("parent_uri", s.parent).put("parent_cid", s.parentCid)
                    .put("created_at", ts(s.createdAt));
            seed = s.shapeChanged;
        }
        if (!s.existed && s.exists) {
            run.newComments.add(uri);
        }
        if (seed) {
            depthSeeds.add(uri);
            // a comment placed in a thread (new, moved, its shape filled in): the thread's lock, before and after
            // (BatchLockOrder), under which its stored descendants are read and their depths filled in
            if (s.oldRoot != null) {
                run.locks.threads.add(s.oldRoot);
            }
            if (s.root != null) {
                run.locks.threads.add(s.root);
            }
        }
        contribute(run, s.oldRoot, s.oldParent, s.wasLive ? -1 : 0);
        contribute(run, s.root, s.parent, s.live ? 1 : 0);
        return s;
    }

    /**
     * Puts the depth into every full comment row: 0 under a post, parent depth + 1 below a comment (the parent folded in
     * this batch or stored), NULL while an ancestor is unknown or the refs form a cycle. {@link #COMMENT_DEPTHS} then
     * only has to fix stored descendants.
     */
    private static void depths(Map<String, CommentRow> folded, Map<String, Row> stored) {
        Map<String, Integer> memo = new HashMap<>();
        for (var entry : folded.entrySet()) {
            if (entry.getValue().row != null) {
                Integer depth = depth(entry.getKey(), folded, stored, memo, new HashSet<>());
                if (depth != null) {
                    entry.getValue().row.put("depth", depth);
                }
            }
        }
    }

    private static Integer depth(String uri, Map<String, CommentRow> folded, Map<String, Row> stored, Map<String, Integer> memo,
                                 Set<String> path) {
        if (memo.containsKey(uri)) {
            return memo.get(uri);
        }
        CommentRow row = folded.get(uri);
        Integer depth;
        if (row == null || (row.row == null && !row.shapeChanged)) {   // not written, or its thread position kept
            Row s = stored.get(uri);
            depth = s == null ? null : s.getInteger("depth");
        } else if (!path.add(uri)) {
            return null;   // a cycle of forged reply refs: no depth, as in SQL
        } else {
            Parent parent = Parent.ofUri(row.parent);
            Integer above = parent == Parent.POST ? Integer.valueOf(-1)
                    : parent == Parent.COMMENT ? depth(row.parent, folded, stored, memo, path) : null;
            depth = above == null ? null : above + 1;
        }
        memo.put(uri, depth);
        return depth;
    }

    private static void shape(CommentRow s, CommunityComment c, EventEnvelope e) {
        s.root = c.reply().root().uri().toString();
        s.rootCid = c.reply().root().cid().value();
        s.parent = c.reply().parent().uri().toString();
        s.parentCid = c.reply().parent().cid().value();
    }

    /** A live comment counts once on its root post and once on its direct parent. */
    private static void contribute(Run run, String root, String parent, long delta) {
        if (delta == 0) {
            return;
        }
        if (Parent.ofUri(root) == Parent.POST) {
            run.add(Parent.POST, root, 2, delta);
        }
        switch (Parent.ofUri(parent)) {
            case POST -> run.add(Parent.POST, parent, 3, delta);
            case COMMENT -> run.add(Parent.COMMENT, parent, 2, delta);
            case null, default -> {
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------- votes

    /** The vote records a batch writes, and (counters maintained) each voter's effective vote per subject before. */
    private static final class VoteChanges {
        final List<Object[]> upserts = new ArrayList<>();
        final List<String> deletes = new ArrayList<>();
        final List<String> touched = new ArrayList<>();
        final Map<List<String>, String> was = new HashMap<>();
        List<List<String>> counted = List.of();
    }

    /** The newest applied state of each touched vote record; null when no record changes. */
    private static VoteChanges voteChanges(Map<Key, List<Decided>> byKey) {
        VoteChanges v = new VoteChanges();
        for (var entry : byKey.entrySet()) {
            Key key = entry.getKey();
            Object[] last = null;
            boolean changed = false;
            for (Decided d : entry.getValue()) {
                if (d.outcome() != Outcome.APPLIED) {
                    continue;
                }
                EventEnvelope e = d.event();
                if (e.commit().isDelete()) {
                    last = null;
                    changed = true;
                    continue;
                }
                Vote vote;
                try {
                    vote = Vote.fromJson(e.commit().record());
                } catch (RuntimeException ex) {
                    skip(e, ex.getMessage());
                    continue;
                }
                if (!vote.isKnownDirection()) {
                    skip(e, "direction " + vote.direction() + " is neither up nor down");
                    continue;
                }
                last = new Object[]{key.uri(), e.commit().cid(), key.did(), key.rkey(), vote.subject().uri().toString(),
                        vote.subject().cid().value(), vote.direction(), createdAt(vote.createdAt(), e)};
                changed = true;
            }
            if (!changed) {
                continue;
            }
            v.touched.add(key.uri());
            if (last == null) {
                v.deletes.add(key.uri());
            } else {
                v.upserts.add(last);
            }
        }
        return v.touched.isEmpty() ? null : v;
    }

    /** The effective vote of every (voter, subject) pair the batch touches, before its writes. */
    private Uni<Void> votesBefore(Run run, VoteChanges v) {
        String[] newVoters = v.upserts.stream().map(r -> (String) r[2]).toArray(String[]::new);
        String[] newSubjects = v.upserts.stream().map(r -> (String) r[4]).toArray(String[]::new);
        return exec(run.tx, "VOTES_EFFECTIVE", VOTES_EFFECTIVE, Tuple.of(v.touched.toArray(String[]::new), newVoters, newSubjects))
                .invoke(before -> {
                    Set<List<String>> pairs = new HashSet<>();
                    for (Row r : before) {
                        List<String> pair = List.of(r.getString(0), r.getString(1));
                        v.was.put(pair, r.getString(2));
                        pairs.add(pair);
                    }
                    for (int i = 0; i < newVoters.length; i++) {
                        pairs.add(List.of(newVoters[i], newSubjects[i]));
                    }
                    v.counted = pairs.stream().filter(p -> Parent.ofUri(p.get(1)) != null).toList();
                }).replaceWithVoid();
    }

    /** Writes the vote records; with counters maintained, moves each subject's counters by the change of effective votes. */
    private Uni<Void> writeVotes(Run run, VoteChanges v) {
        SqlConnection tx = run.tx;
        List<Supplier<Uni<?>>> steps = voteWrites(tx, v.upserts, v.deletes);
        if (!maintained()) {
            return pipeline(steps);
        }
        List<List<String>> counted = v.counted;
        return pipeline(steps).chain(() -> counted.isEmpty() ? Uni.createFrom().voidItem()
                : exec(tx, "VOTES_EFFECTIVE", VOTES_EFFECTIVE, Tuple.of(new String[0],
                                counted.stream().map(p -> p.get(0)).toArray(String[]::new),
                                counted.stream().map(p -> p.get(1)).toArray(String[]::new)))
                        .invoke(after -> {
                            Map<List<String>, String> now = new HashMap<>();
                            for (Row r : after) {
                                now.put(List.of(r.getString(0), r.getString(1)), r.getString(2));
                            }
                            for (List<String> p : counted) {
                                String b = v.was.get(p), a = now.get(p);
                                if (Objects.equals(a, b)) {
                                    continue;
                                }
                                Parent parent = Parent.ofUri(p.get(1));
                                run.add(parent, p.get(1), 0, (Vote.UP.equals(a) ? 1 : 0) - (Vote.UP.equals(b) ? 1 : 0));
                                run.add(parent, p.get(1), 1, (Vote.DOWN.equals(a) ? 1 : 0) - (Vote.DOWN.equals(b) ? 1 : 0));
                            }
                        }).replaceWithVoid());
    }
    private static List<Supplier<Uni<?>>> voteWrites(SqlConnection tx, List<Object[]> upserts, List<String> deletes) {
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        if (!upserts.isEmpty()) {
            steps.add(() -> exec(tx, "VOTES_UPSERT", VOTES_UPSERT, Tuple.tuple(List.of(
                    column(upserts, 0), column(upserts, 1), column(upserts, 2), column(upserts, 3), column(upserts, 4),
                    column(upserts, 5), column(upserts, 6),
                    upserts.stream().map(r -> (OffsetDateTime) r[7]).toArray(OffsetDateTime[]::new)))));
        }
        if (!deletes.isEmpty()) {
            steps.add(() -> exec(tx, "VOTES_DELETE", "DELETE FROM appview.votes WHERE uri = ANY($1::text[])",
                    Tuple.of((Object) deletes.toArray(String[]::new))));
        }
        return steps;
    }

    // ----------------------------------------------------------------------------------------------- subscriptions

    /** The subscription records a batch writes, and (counters maintained) the subscribed pairs before. */
    private static final class SubscriptionChanges {
        final List<Object[]> upserts = new ArrayList<>();
        final List<String> deletes = new ArrayList<>();
        final List<String> touched = new ArrayList<>();
        final Set<List<String>> was = new HashSet<>();
        List<List<String>> pairs = List.of();
    }

    /** The newest applied state of each touched subscription record; null when no record changes. */
    private static SubscriptionChanges subscriptionChanges(Map<Key, List<Decided>> byKey) {
        SubscriptionChanges s = new SubscriptionChanges();
        for (var entry : byKey.entrySet()) {
            Key key = entry.getKey();
            Object[] last = null;
            boolean changed = false;
            for (Decided d : entry.getValue()) {
                if (d.outcome() != Outcome.APPLIED) {
                    continue;
                }
                EventEnvelope e = d.event();
                if (e.commit().isDelete()) {
                    last = null;
                    changed = true;
                    continue;
                }
                CommunitySubscription sub;
                try {
                    sub = CommunitySubscription.fromJson(e.commit().record());
                } catch (RuntimeException ex) {
                    skip(e, ex.getMessage());
                    continue;
                }
                last = new Object[]{key.uri(), e.commit().cid(), key.did(), key.rkey(), sub.subject().value(),
                        sub.effectiveContentVisibility(), createdAt(sub.createdAt(), e)};
                changed = true;
            }
            if (!changed) {
                continue;
            }
            s.touched.add(key.uri());
            if (last == null) {
                s.deletes.add(key.uri());
            } else {
                s.upserts.add(last);
            }
        }
        return s.touched.isEmpty() ? null : s;
    }

    /** The (subscriber, community) pairs subscribed before the batch's writes; their communities are locked. */
    private Uni<Void> subscriptionsBefore(Run run, SubscriptionChanges s) {
        String[] newSubscribers = s.upserts.stream().map(r -> (String) r[2]).toArray(String[]::new);
        String[] newCommunities = s.upserts.stream().map(r -> (String) r[4]).toArray(String[]::new);
        return exec(run.tx, "SUBS_SUBSCRIBED", SUBS_SUBSCRIBED, Tuple.of(s.touched.toArray(String[]::new), newSubscribers, newCommunities))
                .invoke(before -> {
                    for (Row r : before) {
                        s.was.add(List.of(r.getString(0), r.getString(1)));
                    }
                    Set<List<String>> pairs = new HashSet<>(s.was);
                    for (int i = 0; i < newSubscribers.length; i++) {
                        pairs.add(List.of(newSubscribers[i], newCommunities[i]));
                    }
                    s.pairs = new ArrayList<>(pairs);
                    s.pairs.forEach(p -> run.locks.communities.add(p.get(1)));
                }).replaceWithVoid();
    }

    /** Writes the subscription records; with counters maintained, moves subscriber counts by the change of subscribed pairs. */
    private Uni<Void> writeSubscriptions(Run run, SubscriptionChanges s) {
        SqlConnection tx = run.tx;
        List<Supplier<Uni<?>>> steps = subscriptionWrites(tx, s.upserts, s.deletes);
        if (!maintained()) {
            return pipeline(steps);
        }
        List<List<String>> all = s.pairs;
        return pipeline(steps).chain(() -> exec(tx, "SUBS_SUBSCRIBED", SUBS_SUBSCRIBED, Tuple.of(new String[0],
                        all.stream().map(p -> p.get(0)).toArray(String[]::new),
                        all.stream().map(p -> p.get(1)).toArray(String[]::new)))
                .invoke(after -> {
                    Set<List<String>> now = new HashSet<>();
                    for (Row r : after) {
                        now.add(List.of(r.getString(0), r.getString(1)));
                    }
                    for (List<String> p : all) {
                        run.add(Parent.COMMUNITY, p.get(1), 0, (now.contains(p) ? 1 : 0) - (s.was.contains(p) ? 1 : 0));
                    }
                }).replaceWithVoid());
    }
    private static List<Supplier<Uni<?>>> subscriptionWrites(SqlConnection tx, List<Object[]> upserts, List<String> deletes) {
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        if (!upserts.isEmpty()) {
            steps.add(() -> exec(tx, "SUBS_UPSERT", SUBS_UPSERT, Tuple.tuple(List.of(
                    column(upserts, 0), column(upserts, 1), column(upserts, 2), column(upserts, 3), column(upserts, 4),
                    upserts.stream().map(r -> (Integer) r[5]).toArray(Integer[]::new),
                    upserts.stream().map(r -> (OffsetDateTime) r[6]).toArray(OffsetDateTime[]::new)))));
        }
        if (!deletes.isEmpty()) {
            steps.add(() -> exec(tx, "SUBS_DELETE", "DELETE FROM appview.subscriptions WHERE uri = ANY($1::text[])",
                    Tuple.of((Object) deletes.toArray(String[]::new))));
        }
        return steps;
    }

    // ---------------------------------------------------------------------------------------------------- counters

    /**
     * One {@code UPDATE … FROM unnest} per parent table. Every row it updates was locked by {@link BatchLockOrder}; a key
     * with no row is a parent that does not exist yet: its key lock, held by this batch, makes its insert wait, and its
     * recount then counts this batch's children.
     */
    private static Uni<Void> applyDeltas(Run run) {
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        for (Parent parent : List.of(Parent.COMMUNITY, Parent.POST, Parent.COMMENT)) {
            Map<String, long[]> byKey = run.deltas.get(parent);
            if (byKey == null) {
                continue;
            }
            // parents inserted by this batch are recounted from their children at the end: their deltas are redundant
            Set<String> recounted = parent == Parent.POST ? run.newPosts : parent == Parent.COMMENT ? run.newComments : Set.of();
            List<String> keys = new ArrayList<>();
            List<long[]> values = new ArrayList<>();
            byKey.forEach((k, v) -> {
                if (recounted.contains(k)) {
                    return;
                }
                for (long x : v) {
                    if (x != 0) {
                        if (!run.locks.covers(parent, k)) {
                            // a bug, not data: a row lock taken here could close a cycle with another replica's batch
                            throw new IllegalStateException("indexer: counter update on " + parent + " " + k + " outside the batch's lock set");
                        }
                        keys.add(k);
                        values.add(v);
                        return;
                    }
                }
            });
            if (!keys.isEmpty()) {
                steps.add(() -> bump(run.tx, parent, keys, values));
            }
        }
        return pipeline(steps);
    }

    /** Adds the deltas to the parent rows (a key without a row changes nothing). */
    private static Uni<RowSet<Row>> bump(SqlConnection tx, Parent parent, List<String> keys, List<long[]> values) {
        String[] columns = COLUMNS.get(parent);
        String table = parent == Parent.COMMUNITY ? "appview.communities" : parent == Parent.POST ? "appview.posts" : "appview.comments";
        String keyColumn = parent == Parent.COMMUNITY ? "did" : "uri";
        StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" t SET ");
        StringBuilder types = new StringBuilder("$1::text[]");
        StringBuilder names = new StringBuilder("k");
        List<Object> args = new ArrayList<>();
        args.add(keys.toArray(String[]::new));
        for (int c = 0; c < columns.length; c++) {
            sql.append(c == 0 ? "" : ", ").append(columns[c]).append(" = t.").append(columns[c]).append(" + d.d").append(c);
            types.append(", $").append(c + 2).append("::int8[]");
            names.append(", d").append(c);
            final int col = c;
            args.add(values.stream().map(v -> v[col]).toArray(Long[]::new));
        }
        sql.append(" FROM unnest(").append(types).append(") AS d(").append(names).append(") WHERE t.").append(keyColumn)
                .append(" = d.k AND t.").append(keyColumn).append(" = ANY($1::text[])");
        return exec(tx, "BUMP_" + parent, sql.toString(), Tuple.tuple(args));
    }
    /** Parents inserted by this batch count their stored children (children may have come first, in any batch). */
    private static Uni<Void> recount(Run run) {
        List<Supplier<Uni<?>>> steps = new ArrayList<>();
        if (!run.newPosts.isEmpty()) {
            steps.add(() -> exec(run.tx, "RECOUNT_POSTS", RECOUNT_POSTS, Tuple.of((Object) run.newPosts.toArray(String[]::new))));
        }
        if (!run.newComments.isEmpty()) {
            steps.add(() -> exec(run.tx, "RECOUNT_COMMENTS", RECOUNT_COMMENTS, Tuple.of((Object) run.newComments.toArray(String[]::new))));
        }
        return pipeline(steps);
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    /** Wall time per statement kind: {@code coves_indexer_statement_seconds{statement}} (the benchmark prints it too). */
    static final String STATEMENT_TIMER = "coves_indexer_statement_seconds";

    private static Uni<RowSet<Row>> exec(SqlConnection tx, String label, String sql, Tuple args) {
        long start = System.nanoTime();
        return tx.preparedQuery(sql).execute(args).invoke(() ->
                io.micrometer.core.instrument.Metrics.timer(STATEMENT_TIMER, "statement", label)
                        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    /**
     * Sends the statements at once without waiting for each result (the connection pipelines them and Postgres runs them
     * in this order); only for statements that do not depend on an earlier one's result.
     */
    private static Uni<Void> pipeline(List<Supplier<Uni<?>>> steps) {
        if (steps.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (steps.size() == 1) {
            return steps.getFirst().get().replaceWithVoid();
        }
        return Uni.combine().all().unis(steps.stream().map(Supplier::get).toList()).discardItems();
    }

    private static Uni<Void> sequence(List<Supplier<Uni<?>>> steps) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Supplier<Uni<?>> step : steps) {
            chain = chain.chain(() -> step.get().replaceWithVoid());
        }
        return chain;
    }

    private static String[] uris(ArrayNode rows) {
        String[] out = new String[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i).get("uri").asText();
        }
        return out;
    }

    private static String[] column(List<Object[]> rows, int i) {
        return rows.stream().map(r -> (String) r[i]).toArray(String[]::new);
    }

    private static String ts(OffsetDateTime t) {
        return t == null ? null : TS.format(t);
    }

    private static void putJson(ObjectNode row, String field, JsonNode value) {
        if (value != null && !value.isNull() && !value.isMissingNode()) {
            row.set(field, value);
        }
    }

    private static void putArray(ObjectNode row, String field, List<String> values) {
        if (values != null) {
            ArrayNode a = row.putArray(field);
            values.forEach(a::add);
        }
    }
}
