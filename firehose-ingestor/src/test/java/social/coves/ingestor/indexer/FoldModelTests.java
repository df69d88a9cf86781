package social.coves.ingestor.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import social.coves.ingestor.indexer.counts.CountReconciler;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch fold ({@link RepoEventIndexer#applyBatch}) against a small in-memory model of its rules ({@link FoldModel}):
 * random histories over a small key space, so batches hold many commits of the same record (create/update/delete of
 * one record, votes flipping and deleted and re-cast, children before parents, placeholders filled later), delivered
 * messily (cross-repo shuffle, then everything again in random order) and cut into batches of random size. The rows,
 * counters and depths in Postgres must be what the model derives, and the counters must agree with a full recount.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class FoldModelTests {

    private static final String CID = ScriptedHistory.CID;
    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    @Inject
    Pool pool;

    @Inject
    RepoEventIndexer indexer;

    @Inject
    CountReconciler reconciler;

    /** DIDs whose rows this class wrote straight into the projections (not through Kafka): removed afterwards. */
    private final List<String> cleanup = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void removeRowsNotBackedByTheTopic() {
        String[] dids = cleanup.toArray(String[]::new);
        for (String sql : List.of("DELETE FROM appview.records WHERE did = ANY($1)", "DELETE FROM appview.communities WHERE did = ANY($1)",
                "DELETE FROM appview.actors WHERE did = ANY($1)", "DELETE FROM appview.subscriptions WHERE subscriber_did = ANY($1)",
                "DELETE FROM appview.community_blocks WHERE blocker_did = ANY($1)", "DELETE FROM appview.posts WHERE community_did = ANY($1)",
                "DELETE FROM appview.comments WHERE author_did = ANY($1)", "DELETE FROM appview.votes WHERE voter_did = ANY($1)",
                "DELETE FROM appview.aggregator_services WHERE did = ANY($1)",
                "DELETE FROM appview.aggregator_authorizations WHERE community_did = ANY($1)")) {
            pool.preparedQuery(sql).execute(Tuple.of((Object) dids)).await().indefinitely();
        }
        cleanup.clear();
    }

    @Test
    void theFoldGivesTheRowsCountsAndDepthsOfTheModel() {
        for (int seed = 1; seed <= 8; seed++) {
            History h = new History("fm" + (char) ('a' + seed), seed);
            cleanup.addAll(h.dids());
            List<EventEnvelope> events = h.messy(seed);
            Random sizes = new Random(seed * 31L);
            for (int i = 0; i < events.size(); ) {
                int n = 1 + sizes.nextInt(sizes.nextBoolean() ? 400 : 20);
                List<EventEnvelope> chunk = events.subList(i, Math.min(events.size(), i + n));
                pool.withTransaction(tx -> indexer.applyBatch(tx, chunk)).await().indefinitely();
                i += n;
            }
            FoldModel model = new FoldModel();
            model.apply(events);
            List<String> expected = model.rows().stream().sorted().toList();
            assertThat(expected.stream().filter(l -> l.startsWith("comments") && !l.endsWith("null | 0 | 0 | 0")).count())
                    .as("seed %d: comments with a depth, votes or replies", seed).isGreaterThan(5);
            assertThat(stored(h.dids()).stream().sorted().toList()).as("seed %d", seed).containsExactlyElementsOf(expected);
        }
        assertThat(reconciler.reconcile().await().indefinitely().values()).containsOnly(0L);
    }

    @Test
    void oneBatchWithManyCommitsOfTheSameRecords() {
        History h = new History("one", 99);
        cleanup.addAll(h.dids());
        String c = h.communities[0], u = h.users[0], v = h.users[1];
        String post = h.commit(c, "create", "social.coves.community.post", "3kaaaaaaaaap2", h.post(c, u, "hello"));
        // a comment created and deleted, another created and edited, a vote flipping up → down → deleted → re-cast up,
        // a second voter up then down, a subscription created and deleted, another kept — all in one batch
        String k1 = h.commit(u, "create", "social.coves.community.comment", "3kaaaaaaaaak1", h.comment(post, post, "gone"));
        h.commit(u, "delete", "social.coves.community.comment", "3kaaaaaaaaak1", null);
        String k2 = h.commit(v, "create", "social.coves.community.comment", "3kaaaaaaaaak2", h.comment(post, post, "first"));
        h.commit(v, "update", "social.coves.community.comment", "3kaaaaaaaaak2", h.comment(post, post, "first (edited)"));
        h.commit(u, "create", "social.coves.community.comment", "3kaaaaaaaaak3", h.comment(post, k2, "reply"));
        h.commit(u, "create", "social.coves.feed.vote", "3kaaaaaaaaav1", h.vote(post, "up"));
        h.commit(u, "update", "social.coves.feed.vote", "3kaaaaaaaaav1", h.vote(post, "down"));
        h.commit(u, "delete", "social.coves.feed.vote", "3kaaaaaaaaav1", null);
        h.commit(u, "create", "social.coves.feed.vote", "3kaaaaaaaaav2", h.vote(post, "up"));
        h.commit(v, "create", "social.coves.feed.vote", "3kaaaaaaaaav3", h.vote(post, "up"));
        h.commit(v, "update", "social.coves.feed.vote", "3kaaaaaaaaav3", h.vote(post, "down"));
        h.commit(v, "create", "social.coves.feed.vote", "3kaaaaaaaaav4", h.vote(k2, "down"));
        h.commit(v, "update", "social.coves.feed.vote", "3kaaaaaaaaav4", h.vote(k2, "up"));
        h.commit(u, "create", "social.coves.community.subscription", "3kaaaaaaaaas1", h.sub(c));
        h.commit(u, "delete", "social.coves.community.subscription", "3kaaaaaaaaas1", null);
        h.commit(v, "create", "social.coves.community.subscription", "3kaaaaaaaaas2", h.sub(c));
        h.commit(c, "create", "social.coves.community.profile", "self", h.profile());
        List<EventEnvelope> all = new ArrayList<>(h.events);
        all.addAll(h.events);   // and everything again in the same batch
        pool.withTransaction(tx -> indexer.applyBatch(tx, all)).await().indefinitely();

        assertThat(row("SELECT upvotes, downvotes, comment_count, top_level_comment_count FROM appview.posts WHERE uri = $1", post))
                .containsExactly(1L, 1L, 2L, 1L);
        assertThat(row("SELECT content, deleted_at IS NOT NULL, parent_uri, depth FROM appview.comments WHERE uri = $1", k1))
                .containsExactly(null, true, post, 0);
        assertThat(row("SELECT content, reply_count, upvotes, downvotes, depth FROM appview.comments WHERE uri = $1", k2))
                .containsExactly("first (edited)", 1L, 1L, 0L, 0);
        assertThat(row("SELECT subscriber_count, post_count FROM appview.communities WHERE did = $1", c)).containsExactly(1L, 1L);
        assertThat(row("SELECT count(*) FROM appview.votes WHERE voter_did = $1", u)).containsExactly(1L);
        assertThat(reconciler.reconcile().await().indefinitely().values()).containsOnly(0L);
    }

    /**
     * A thread stored without depths (its top comment not yet seen), then one batch with the top comment and an edit of
     * the deepest reply: the edit's depth must come from its parent as the same batch fills it, not from the parent's
     * depth before the batch. (Found by the kill-and-restart test: batch boundaries decided whether depths stayed NULL.)
     */
    @Test
    void anEditBesideItsArrivingAncestorGetsItsDepth() {
        History h = new History("dep", 7);
        cleanup.addAll(h.dids());
        String c = h.communities[0], u = h.users[0], v = h.users[1];
        String post = h.commit(c, "create", "social.coves.community.post", "3kaaaaaaaaap2", h.post(c, u, "hello"));
        String top = "at://" + u + "/social.coves.community.comment/3kaaaaaaaaat1";
        String mid = h.commit(v, "create", "social.coves.community.comment", "3kaaaaaaaaam1", h.comment(post, top, "mid"));
        String leaf = h.commit(u, "create", "social.coves.community.comment", "3kaaaaaaaaal1", h.comment(post, mid, "leaf"));
        List<EventEnvelope> first = new ArrayList<>(h.events);
        h.events.clear();
        h.commit(u, "create", "social.coves.community.comment", "3kaaaaaaaaat1", h.comment(post, post, "top"));
        h.commit(u, "update", "social.coves.community.comment", "3kaaaaaaaaal1", h.comment(post, mid, "leaf (edited)"));
        List<EventEnvelope> second = new ArrayList<>(h.events);

        pool.withTransaction(tx -> indexer.applyBatch(tx, first)).await().indefinitely();
        assertThat(row("SELECT depth FROM appview.comments WHERE uri = $1", leaf)).as("ancestor unknown").containsExactly((Object) null);
        pool.withTransaction(tx -> indexer.applyBatch(tx, second)).await().indefinitely();

        assertThat(row("SELECT depth FROM appview.comments WHERE uri = $1", top)).containsExactly(0);
        assertThat(row("SELECT depth FROM appview.comments WHERE uri = $1", mid)).containsExactly(1);
        assertThat(row("SELECT content, depth FROM appview.comments WHERE uri = $1", leaf)).containsExactly("leaf (edited)", 2);
    }

    /**
     * The thread rule at fold time: a reply naming another thread than its parent's is stored but placed nowhere (no
     * depth, no one's reply, counted only on the root it names); moving a comment to another thread takes its counts
     * and the places of its subtree along. Each step also equals the model, and a full recount finds no drift.
     */
    @Test
    void aReplyIntoAnotherThreadIsPlacedNowhereAndAMovedCommentTakesItsPlaceAlong() {
        History h = new History("thr", 99);
        cleanup.addAll(h.dids());
        String c = h.communities[0], u = h.users[0], v = h.users[1];
        String post1 = h.commit(c, "create", "social.coves.community.post", "3kaaaaaaaaap1", h.post(c, u, "one"));
        String post2 = h.commit(c, "create", "social.coves.community.post", "3kaaaaaaaaap2", h.post(c, u, "two"));
        String top = h.commit(u, "create", "social.coves.community.comment", "3kaaaaaaaaat1", h.comment(post1, post1, "top"));
        String reply = h.commit(v, "create", "social.coves.community.comment", "3kaaaaaaaaar1", h.comment(post1, top, "reply"));
        String slipped = h.commit(v, "create", "social.coves.community.comment", "3kaaaaaaaaax1", h.comment(post2, top, "slipped in"));
        List<EventEnvelope> first = new ArrayList<>(h.events);
        pool.withTransaction(tx -> indexer.applyBatch(tx, first)).await().indefinitely();

        assertThat(row("SELECT depth, reply_count FROM appview.comments WHERE uri = $1", top)).containsExactly(0, 1L);
        assertThat(row("SELECT depth FROM appview.comments WHERE uri = $1", reply)).containsExactly(1);
        assertThat(row("SELECT depth FROM appview.comments WHERE uri = $1", slipped)).as("placed nowhere").containsExactly((Object) null);
        assertThat(row("SELECT comment_count, top_level_comment_count FROM appview.posts WHERE uri = $1", post1)).containsExactly(2L, 1L);
        assertThat(row("SELECT comment_count, top_level_comment_count FROM appview.posts WHERE uri = $1", post2)).containsExactly(1L, 0L);
        assertModelAndRecount(h);

        // the top comment moves to the other thread: the slipped reply is now in its parent's thread, the old one is not
        h.commit(u, "update", "social.coves.community.comment", "3kaaaaaaaaat1", h.comment(post2, post2, "top (moved)"));
        List<EventEnvelope> second = new ArrayList<>(h.events.subList(first.size(), h.events.size()));
        pool.withTransaction(tx -> indexer.applyBatch(tx, second)).await().indefinitely();

        assertThat(row("SELECT depth, reply_count FROM appview.comments WHERE uri = $1", top)).containsExactly(0, 1L);
        assertThat(row("SELECT depth FROM appview.comments WHERE uri = $1", reply)).as("left behind").containsExactly((Object) null);
        assertThat(row("SELECT depth FROM appview.comments WHERE uri = $1", slipped)).containsExactly(1);
        assertThat(row("SELECT comment_count, top_level_comment_count FROM appview.posts WHERE uri = $1", post1)).containsExactly(1L, 0L);
        assertThat(row("SELECT comment_count, top_level_comment_count FROM appview.posts WHERE uri = $1", post2)).containsExactly(2L, 1L);
        assertModelAndRecount(h);
    }

    private void assertModelAndRecount(History h) {
        FoldModel model = new FoldModel();
        model.apply(h.events);
        assertThat(stored(h.dids()).stream().sorted().toList()).containsExactlyElementsOf(model.rows().stream().sorted().toList());
        assertThat(reconciler.reconcile().await().indefinitely().values()).containsOnly(0L);
    }

    // --- helpers

    private List<Object> row(String sql, Object arg) {
        return OneRow.of(pool, sql, arg);
    }

    /** The projection rows of the given repos, in {@link FoldModel#rows()}'s shape. */
    private List<String> stored(List<String> dids) {
        String micros = "(extract(epoch from %s) * 1000000)::int8";
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("records", "SELECT did || ' ' || collection || ' ' || rkey, rev, deleted FROM appview.records WHERE did = ANY($1)");
        queries.put("posts", "SELECT uri, cid, author_did, title, content, " + micros.formatted("created_at") + ", "
                + micros.formatted("deleted_at") + ", upvotes, downvotes, comment_count, top_level_comment_count "
                + "FROM appview.posts WHERE community_did = ANY($1)");
        queries.put("comments", "SELECT uri, cid, root_uri, parent_uri, content, " + micros.formatted("created_at") + ", "
                + micros.formatted("deleted_at") + ", depth, upvotes, downvotes, reply_count FROM appview.comments WHERE author_did = ANY($1)");
        queries.put("votes", "SELECT uri, subject_uri, direction FROM appview.votes WHERE voter_did = ANY($1)");
        queries.put("subscriptions", "SELECT uri, community_did, content_visibility FROM appview.subscriptions WHERE subscriber_did = ANY($1)");
        queries.put("communities", "SELECT did, subscriber_count, post_count FROM appview.communities WHERE did = ANY($1)");
        List<String> out = new ArrayList<>();
        queries.forEach((table, sql) -> pool.preparedQuery(sql).execute(Tuple.of((Object) dids.toArray(String[]::new))).await().indefinitely()
                .forEach(r -> {
                    StringBuilder line = new StringBuilder(table);
                    for (int i = 0; i < r.size(); i++) {
                        line.append(" | ").append(r.getValue(i));
                    }
                    out.add(line.toString());
                }));
        return out;
    }

    /** A random history over a small key space (few rkeys per repo and collection), identical for equal seeds. */
    static final class History {
        final String[] communities;
        final String[] users;
        final List<EventEnvelope> events = new ArrayList<>();
        private long clock = 5000;

        History(String ns, long seed) {
            communities = new String[]{did(ns, "ca"), did(ns, "cb")};
            users = new String[]{did(ns, "ua"), did(ns, "ub"), did(ns, "uc"), did(ns, "ud")};
            if (seed == 99) {
                return;
            }
            Random r = new Random(seed);
            List<String> posts = new ArrayList<>();
            List<String> comments = new ArrayList<>();
            Map<String, List<String>> rkeys = new LinkedHashMap<>();
            Map<String, String[]> threads = new LinkedHashMap<>();
            for (int i = 0; i < 400; i++) {
                int kind = r.nextInt(100);
                boolean delete = r.nextInt(100) < 22;
                if (kind < 6) {
                    String c = communities[r.nextInt(communities.length)];
                    boolean gone = delete && r.nextBoolean();
                    commit(c, gone ? "delete" : "create", "social.coves.community.profile", "self", gone ? null : profile());
                    continue;
                }
                String collection = kind < 20 ? "social.coves.community.post" : kind < 50 ? "social.coves.community.comment"
                        : kind < 88 ? "social.coves.feed.vote" : "social.coves.community.subscription";
                String repo = collection.endsWith("post") ? communities[r.nextInt(communities.length)] : users[r.nextInt(users.length)];
                List<String> pool = rkeys.computeIfAbsent(repo + collection, k -> new ArrayList<>());
                String rkey = pool.isEmpty() || (pool.size() < 3 && r.nextBoolean()) ? tid() : pool.get(r.nextInt(pool.size()));
                if (!pool.contains(rkey)) {
                    pool.add(rkey);
                }
                String uri = "at://" + repo + "/" + collection + "/" + rkey;
                if (delete) {
                    commit(repo, "delete", collection, rkey, null);
                    continue;
                }
                JsonNode record = switch (collection) {
                    case "social.coves.community.post" -> post(repo, users[r.nextInt(users.length)], "t" + i);
                    case "social.coves.community.comment" -> {
                        if (threads.containsKey(uri)) {   // reply refs never change (no cycles: parents are older)
                            yield comment(threads.get(uri)[0], threads.get(uri)[1], "c" + i);
                        }
                        String root = posts.isEmpty() ? "at://" + communities[0] + "/social.coves.community.post/3kzzzzzzzzzz2"
                                : posts.get(r.nextInt(posts.size()));
                        String parent = comments.isEmpty() || r.nextBoolean() ? root : comments.get(r.nextInt(comments.size()));
                        threads.put(uri, new String[]{root, parent});
                        yield comment(root, parent, "c" + i);
                    }
                    case "social.coves.feed.vote" -> {
                        List<String> subjects = r.nextBoolean() || comments.isEmpty() ? posts : comments;
                        String subject = subjects.isEmpty() ? "at://" + communities[1] + "/social.coves.community.post/3kzzzzzzzzzz3"
                                : subjects.get(r.nextInt(subjects.size()));
                        yield vote(subject, r.nextBoolean() ? "up" : "down");
                    }
                    default -> sub(communities[r.nextInt(communities.length)]);
                };
                commit(repo, "create", collection, rkey, record);
                if (collection.endsWith("post") && !posts.contains(uri)) {
                    posts.add(uri);
                }
                if (collection.endsWith("comment") && !comments.contains(uri)) {
                    comments.add(uri);
                }
            }
        }

        List<String> dids() {
            List<String> out = new ArrayList<>(List.of(communities));
            out.addAll(List.of(users));
            return out;
        }

        /** Cross-repo shuffle (per-repo order kept), then every event again in random order. */
        List<EventEnvelope> messy(long seed) {
            Random random = new Random(seed);
            List<EventEnvelope> out = ScriptedHistory.reposInterleaved(events, random);
            List<EventEnvelope> again = new ArrayList<>(events);
            Collections.shuffle(again, random);
            out.addAll(again);
            return out;
        }

        String commit(String repo, String op, String collection, String rkey, JsonNode record) {
            String rev = tid();
            long timeUs = 1_767_225_600_000_000L + clock * 1_000_000L;
            events.add(new EventEnvelope(EventEnvelope.CURRENT_VERSION, EventEnvelope.KIND_COMMIT, repo, timeUs, clock, "test", null,
                    new EventEnvelope.Commit(op, collection, rkey, rev, record == null ? null : CID, record), null, null));
            return "at://" + repo + "/" + collection + "/" + rkey;
        }

        String tid() {
            return ScriptedHistory.tid(++clock);
        }

        private static String did(String ns, String name) {
            return "did:plc:" + (ns + name + "aaaaaaaaaaaaaaaaaaaaaaaa").substring(0, 24);
        }

        ObjectNode profile() {
            return J.objectNode().put("$type", "social.coves.community.profile").put("name", "n").put("createdBy", users[0])
                    .put("hostedBy", "did:web:coves.example").put("createdAt", "2026-01-01T00:00:00.000Z");
        }

        ObjectNode post(String community, String author, String title) {
            ObjectNode r = J.objectNode().put("$type", "social.coves.community.post").put("community", community).put("author", author)
                    .put("title", title).put("content", "content of " + title).put("createdAt", "2026-01-02T00:00:00.000Z");
            r.putArray("langs").add("en");
            r.putArray("tags").add("t1");
            r.putObject("embed").put("$type", "social.coves.embed.external").putObject("external").put("uri", "https://x.example");
            return r;
        }

        ObjectNode comment(String root, String parent, String text) {
            ObjectNode r = J.objectNode().put("$type", "social.coves.community.comment").put("content", text)
                    .put("createdAt", "2026-01-03T00:00:00.000Z");
            ObjectNode reply = r.putObject("reply");
            reply.putObject("root").put("uri", root).put("cid", CID);
            reply.putObject("parent").put("uri", parent).put("cid", CID);
            r.putArray("langs").add("en");
            return r;
        }

        ObjectNode vote(String subject, String direction) {
            ObjectNode r = J.objectNode().put("$type", "social.coves.feed.vote").put("direction", direction)
                    .put("createdAt", "2026-01-04T00:00:00.000Z");
            r.putObject("subject").put("uri", subject).put("cid", CID);
            return r;
        }

        ObjectNode sub(String community) {
            return J.objectNode().put("$type", "social.coves.community.subscription").put("subject", community)
                    .put("createdAt", "2026-01-01T00:00:00.000Z");
        }
    }
}
