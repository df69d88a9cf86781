package social.coves.ingestor.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import social.coves.ingestor.indexer.counts.CountReconciler;
import social.coves.ingestor.indexer.rejects.IndexRejectsRedrive;
import social.coves.ingestor.indexer.replay.IndexerReplay;
import social.coves.ingestor.indexer.replay.ProjectionRebuild;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.envelope.Topics;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scripted histories produced straight to Kafka, folded by the live indexer into real PostgreSQL: a messy delivery
 * (cross-repo shuffle, every event twice, older after newer, a delete before its create) must give exactly the rows
 * and counts of a clean in-order delivery; replaying the topics from offset 0 into an emptied schema (with a crash
 * between batches and already-applied offsets replayed) must reproduce the live projections.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndexerFoldTests {

    @Inject
    Pool pool;

    @Inject
    CountReconciler reconciler;

    @Inject
    IndexRejectsRedrive redrive;

    @Inject
    IndexerReplay replay;

    @Inject
    ProjectionRebuild rebuild;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    @Order(1)
    void messyDeliveryFoldsToTheExactRowsAndCountsOfACleanInOrderRun() {
        ScriptedHistory messy = new ScriptedHistory("messy", 4000);
        produce(Topics.REPO_EVENTS, messy.messy(42));
        awaitCaughtUp();

        // exact rows and counts
        assertThat(row("SELECT subscriber_count, post_count FROM appview.communities WHERE did = $1", messy.c1)).containsExactly(2L, 1L);
        assertThat(row("SELECT subscriber_count, post_count FROM appview.communities WHERE did = $1", messy.c2)).containsExactly(1L, 1L);
        assertThat(row("SELECT content_visibility FROM appview.subscriptions WHERE subscriber_did = $1", messy.u4)).containsExactly(5);
        assertThat(row("SELECT count(*) FROM appview.subscriptions WHERE subscriber_did = $1", messy.u2)).containsExactly(0L);
        assertThat(row("SELECT community_did FROM appview.community_blocks WHERE blocker_did = $1", messy.u3)).containsExactly(messy.c2);
        assertThat(row("SELECT title, upvotes, downvotes, score, comment_count, top_level_comment_count, deleted_at IS NULL FROM appview.posts WHERE uri = $1",
                messy.p1)).containsExactly("First (edited)", 3L, 0L, 3L, 3L, 1L, true);
        assertThat(row("SELECT title, content, upvotes, deleted_at IS NOT NULL, author_did FROM appview.posts WHERE uri = $1", messy.p2))
                .containsExactly(null, null, 1L, true, messy.u2);
        assertThat(row("SELECT downvotes, score, comment_count, top_level_comment_count FROM appview.posts WHERE uri = $1", messy.p3))
                .containsExactly(1L, -1L, 1L, 1L);
        assertThat(row("SELECT depth, reply_count, upvotes, downvotes FROM appview.comments WHERE uri = $1", messy.k1)).containsExactly(0, 1L, 0L, 1L);
        assertThat(row("SELECT depth, reply_count, upvotes FROM appview.comments WHERE uri = $1", messy.k2)).containsExactly(1, 1L, 0L);
        assertThat(row("SELECT depth, reply_count FROM appview.comments WHERE uri = $1", messy.k3)).containsExactly(2, 0L);
        // deleted comments keep their thread position, content blanked; k6's delete came before its create
        for (String deleted : List.of(messy.k4, messy.k6)) {
            assertThat(row("SELECT content, parent_uri, depth, deleted_at IS NOT NULL FROM appview.comments WHERE uri = $1", deleted))
                    .containsExactly(null, messy.p1, 0, true);
        }
        assertThat(row("SELECT count(*) FROM appview.votes WHERE voter_did = $1", messy.u4)).containsExactly(1L);
        // aggregators: the newest service record of a1, none of a2 (deleted) nor of the impostor in u1's repo; the
        // authorizations as their newest records say, the forged one in a1's repo never written
        assertThat(row("SELECT display_name, avatar_cid, config_schema::text, maintainer_did FROM appview.aggregator_services WHERE did = $1",
                messy.a1)).containsExactly("News bot (edited)", ScriptedHistory.CID, "{\"type\": \"object\"}", messy.u1);
        assertThat(row("SELECT count(*) FROM appview.aggregator_services WHERE did = ANY($1)", new String[]{messy.a2, messy.u1}))
                .containsExactly(0L);
        assertThat(row("SELECT aggregator_did, community_did, enabled, disabled_by FROM appview.aggregator_authorizations WHERE uri = $1",
                messy.z1)).containsExactly(messy.a1, messy.c1, false, messy.u2);
        assertThat(row("SELECT aggregator_did, community_did, enabled FROM appview.aggregator_authorizations WHERE uri = $1", messy.z2))
                .containsExactly(messy.a2, messy.c2, true);
        assertThat(row("SELECT count(*) FROM appview.aggregator_authorizations WHERE uri = $1", messy.z3)).containsExactly(0L);
        assertThat(row("SELECT count(*) FROM appview.aggregator_authorizations WHERE uri LIKE $1", "at://" + messy.a1 + "/%"))
                .containsExactly(0L);
        // time-invariant hot key: log10(score) + epoch/45000
        Row hot = pool.preparedQuery("SELECT hot_key, extract(epoch FROM created_at)::float8 AS epoch FROM appview.posts WHERE uri = $1")
                .execute(Tuple.of(messy.p1)).await().indefinitely().iterator().next();
        assertThat(hot.getDouble("hot_key")).isCloseTo(Math.log10(3) + hot.getDouble("epoch") / 45000, org.assertj.core.data.Offset.offset(1e-9));

        // the same script delivered cleanly, in order, under another namespace: identical rows
        ScriptedHistory clean = new ScriptedHistory("clean", 4000);
        produce(Topics.REPO_EVENTS, clean.inOrder());
        awaitCaughtUp();
        List<String> messyRows = canonical(messy.dids()).stream().map(l -> {
            for (int i = 0; i < messy.dids().size(); i++) {
                l = l.replace(messy.dids().get(i), clean.dids().get(i));
            }
            return l;
        }).sorted().toList();
        List<String> cleanRows = canonical(clean.dids()).stream().sorted().toList();
        assertThat(messyRows).hasSize(cleanRows.size()).isNotEmpty();
        assertThat(messyRows).containsExactlyElementsOf(cleanRows);

        // the incremental counts agree with a full recount
        assertThat(reconciler.reconcile().await().indefinitely()).containsOnly(
                Map.entry("posts", 0L), Map.entry("comments", 0L), Map.entry("communities", 0L));
    }

    @Test
    @Order(2)
    void accountStatusHidesAndRestoresContentThroughTheVisibleViews() {
        ScriptedHistory h = new ScriptedHistory("acct", 9000);
        produce(Topics.REPO_EVENTS, h.inOrder());
        produce(Topics.IDENTITY_EVENTS, List.of(account(h.u4, false, "deactivated")));
        awaitCaughtUp();
        assertThat(row("SELECT count(*) FROM appview.visible_posts WHERE uri = $1", h.p3)).containsExactly(0L);
        assertThat(row("SELECT hidden FROM appview.visible_comments WHERE uri = $1", h.k3)).containsExactly(true);
        assertThat(row("SELECT count(*) FROM appview.visible_posts WHERE uri = $1", h.p1)).containsExactly(1L);

        produce(Topics.IDENTITY_EVENTS, List.of(account(h.u4, true, null)));
        awaitCaughtUp();
        assertThat(row("SELECT count(*) FROM appview.visible_posts WHERE uri = $1", h.p3)).containsExactly(1L);
        assertThat(row("SELECT hidden FROM appview.visible_comments WHERE uri = $1", h.k3)).containsExactly(false);

        // an older account event delivered late undoes nothing: by Jetstream time when the events carry no upstream
        // sequence, by the upstream sequence when both do (even against a later Jetstream time)
        produce(Topics.IDENTITY_EVENTS, List.of(account(h.u4, false, "takendown", null, 1L)));
        long now = System.currentTimeMillis() * 1000;
        produce(Topics.IDENTITY_EVENTS, List.of(account(h.u3, false, "suspended", 20L, now), account(h.u3, true, null, 10L, now + 1)));
        awaitCaughtUp();
        assertThat(row("SELECT active, status FROM appview.actors WHERE did = $1", h.u4)).containsExactly(true, null);
        assertThat(row("SELECT count(*) FROM appview.visible_posts WHERE uri = $1", h.p3)).containsExactly(1L);
        assertThat(row("SELECT active, status FROM appview.actors WHERE did = $1", h.u3)).containsExactly(false, "suspended");
    }

    @Test
    @Order(4)
    void reconciliationReportsAndFixesDrift() {
        ScriptedHistory h = new ScriptedHistory("drift", 12000);
        produce(Topics.REPO_EVENTS, h.inOrder());
        awaitCaughtUp();
        pool.preparedQuery("UPDATE appview.posts SET upvotes = 99 WHERE uri = $1").execute(Tuple.of(h.p1)).await().indefinitely();
        pool.preparedQuery("UPDATE appview.communities SET subscriber_count = 0 WHERE did = $1").execute(Tuple.of(h.c1)).await().indefinitely();
        // a reply whose depth was lost (what two indexer replicas folding a reply and its parent at once can leave)
        pool.preparedQuery("UPDATE appview.comments SET depth = NULL WHERE uri = $1").execute(Tuple.of(h.k3)).await().indefinitely();
        assertThat(reconciler.reconcile().await().indefinitely()).containsOnly(
                Map.entry("posts", 1L), Map.entry("comments", 1L), Map.entry("communities", 1L));
        assertThat(row("SELECT depth FROM appview.comments WHERE uri = $1", h.k3)).containsExactly(2);
        assertThat(row("SELECT upvotes FROM appview.posts WHERE uri = $1", h.p1)).containsExactly(3L);
        assertThat(row("SELECT subscriber_count FROM appview.communities WHERE did = $1", h.c1)).containsExactly(2L);
        assertThat(reconciler.reconcile().await().indefinitely().values()).containsOnly(0L);
    }

    @Test
    @Order(5)
    void replayFromOffsetZeroIntoAnEmptySchemaReproducesTheLiveProjections() {
        awaitCaughtUp();
        List<String> live = canonical("");
        List<String> liveChecksums = checksums();
        assertThat(liveChecksums).as("every projection table holds rows to compare")
                .anyMatch(l -> l.startsWith("aggregator_services ")).anyMatch(l -> l.startsWith("aggregator_authorizations "));

        // reset: what scripts/reset-projections.sql does
        pool.query("TRUNCATE appview.records, appview.actors, appview.communities, appview.subscriptions, appview.community_blocks, "
                + "appview.posts, appview.comments, appview.votes, appview.aggregator_services, appview.aggregator_authorizations, "
                + "appview.consumer_offsets").execute().await().indefinitely();
        assertThat(canonical("")).isEmpty();

        String group = "replay-test";
        // a crash after two batches, then a restart that resumes from the offsets stored with the projections
        IndexerReplay.Result first = replay.replay(bootstrap, Topics.REPO_EVENTS, group, 25, 2);
        assertThat(first.batches()).isEqualTo(2);
        replay.replay(bootstrap, Topics.REPO_EVENTS, group, 25, 0);
        replay.replay(bootstrap, Topics.IDENTITY_EVENTS, group, 25, 0);
        assertThat(canonical("")).containsExactlyElementsOf(live);

        // already-applied offsets delivered again (stored offsets lost): the ledger keeps everything unchanged
        pool.preparedQuery("DELETE FROM appview.consumer_offsets WHERE group_id = $1").execute(Tuple.of(group)).await().indefinitely();
        replay.replay(bootstrap, Topics.REPO_EVENTS, group, 500, 0);
        replay.replay(bootstrap, Topics.IDENTITY_EVENTS, group, 500, 0);
        assertThat(canonical("")).containsExactlyElementsOf(live);
        assertThat(checksums()).containsExactlyElementsOf(liveChecksums);
        assertThat(reconciler.reconcile().await().indefinitely().values()).containsOnly(0L);
    }

    @Test
    @Order(6)
    void rebuildWithDeferredCountersReproducesTheLiveProjectionsAndResumesAfterACrash() {
        // the projections as the live fold and the replay above left them (the live group's offsets were reset there)
        List<String> live = canonical("");
        List<String> liveChecksums = checksums();
        List<String> indexes = indexes();
        ProjectionRebuild.Source source = new ProjectionRebuild.Source(bootstrap, Topics.REPO_EVENTS, "rebuild-test",
                Topics.IDENTITY_EVENTS, "rebuild-test-identity");

        // a schema that holds projections is refused: a rebuild only starts from an empty one
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rebuild.rebuild(source, 25, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reset-projections.sql");

        pool.query("TRUNCATE appview.records, appview.actors, appview.communities, appview.subscriptions, appview.community_blocks, "
                + "appview.posts, appview.comments, appview.votes, appview.aggregator_services, appview.aggregator_authorizations, "
                + "appview.consumer_offsets, appview.projection_rebuild_indexes, appview.projection_rebuilds")
                .execute().await().indefinitely();

        // a crash after three batches: the run stays unfinished, its counters not yet counted, and a live indexer would refuse to start
        assertThat(rebuild.rebuild(source, 25, 1, 3)).isEmpty();
        assertThat(rebuild.unfinished()).hasValueSatisfying(run -> assertThat(run).startsWith("rebuild "));
        assertThat(row("SELECT count(*) FILTER (WHERE upvotes > 0) FROM appview.posts WHERE community_did <> $1", ""))
                .containsExactly(0L);
        // the read indexes are dropped while it folds; the ones the fold reads stay
        assertThat(indexes()).noneMatch(i -> i.startsWith("posts_hot ") || i.startsWith("votes_subject "))
                .anyMatch(i -> i.startsWith("comments_parent_new ")).anyMatch(i -> i.startsWith("posts_pkey "));
        // and autovacuum is off for the tables it fills, until it finishes
        String autovacuumOff = "SELECT count(*) FROM pg_class WHERE relnamespace = 'appview'::regnamespace AND relkind = 'r' "
                + "AND 'autovacuum_enabled=false' = ANY(reloptions) AND relname <> $1";
        assertThat(row(autovacuumOff, "")).containsExactly(10L);

        // run again (two workers): it resumes from the offsets stored with its batches, recounts and finishes
        ProjectionRebuild.Report report = rebuild.rebuild(source, 25, 2);
        assertThat(report.repoEvents().events()).isPositive();
        assertThat(report.identityEvents().events()).isPositive();
        assertThat(rebuild.unfinished()).isEmpty();
        assertThat(canonical("")).containsExactlyElementsOf(live);
        assertThat(checksums()).containsExactlyElementsOf(liveChecksums);
        assertThat(indexes()).containsExactlyElementsOf(indexes);
        assertThat(row(autovacuumOff, "")).containsExactly(0L);
        assertThat(reconciler.reconcile().await().indefinitely().values()).containsOnly(0L);
        assertThat(row("SELECT count(*) FROM appview.projection_rebuilds WHERE finished_at IS NOT NULL AND repo_events > $1 "
                + "AND recount_seconds >= 0", 0L)).containsExactly(1L);
    }

    // --- helpers

    private void produce(String topic, List<EventEnvelope> events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer())) {
            for (EventEnvelope e : events) {
                producer.send(new ProducerRecord<>(topic, e.did(), EnvelopeCodec.encodeToString(e)));
            }
            producer.flush();
        }
    }

    @Test
    @Order(3)
    void anUpdateThatMovesASubscriptionOrFlipsAVoteMovesTheCountsExactlyOnce() {
        ScriptedHistory h = new ScriptedHistory("moved", 12000);
        produce(Topics.REPO_EVENTS, h.inOrder());
        awaitCaughtUp();
        long c1 = (Long) row("SELECT subscriber_count FROM appview.communities WHERE did = $1", h.c1).getFirst();
        long c2 = (Long) row("SELECT subscriber_count FROM appview.communities WHERE did = $1", h.c2).getFirst();
        List<Object> p3Votes = row("SELECT upvotes, downvotes FROM appview.posts WHERE uri = $1", h.p3);

        String user = "did:plc:movedmovedmovedmovedmove";
        String subKey = h.tid();
        String voteKey = h.tid();
        EventEnvelope subscribe = commit(user, "create", "social.coves.community.subscription", subKey, h.tid(), subscription(h.c1));
        EventEnvelope move = commit(user, "update", "social.coves.community.subscription", subKey, h.tid(), subscription(h.c2));
        EventEnvelope up = commit(user, "create", "social.coves.feed.vote", voteKey, h.tid(), vote(h.p3, "up"));
        EventEnvelope flip = commit(user, "update", "social.coves.feed.vote", voteKey, h.tid(), vote(h.p3, "down"));
        // in order, then every event again (the older ones after the newer)
        produce(Topics.REPO_EVENTS, List.of(subscribe, move, up, flip, flip, move, up, subscribe));
        awaitCaughtUp();

        assertThat(row("SELECT subscriber_count FROM appview.communities WHERE did = $1", h.c1)).containsExactly(c1);
        assertThat(row("SELECT subscriber_count FROM appview.communities WHERE did = $1", h.c2)).containsExactly(c2 + 1);
        assertThat(row("SELECT upvotes, downvotes FROM appview.posts WHERE uri = $1", h.p3))
                .containsExactly(p3Votes.get(0), (Long) p3Votes.get(1) + 1);
    }

    @Test
    @Order(3)
    void aggregatorServicesAndAuthorizationsFollowTheNewestRecordAndNeverComeBackFromATombstone() {
        ScriptedHistory h = new ScriptedHistory("aggs", 21000);   // for its TIDs; nothing of its script is produced
        String bot = "did:plc:aggsbotaggsbotaggsbotagg", other = "did:plc:aggsotheraggsotheraggsot";
        String community = "did:plc:aggscommunityaggscommuni", moderator = "did:plc:aggsmoderatoraggsmoderat";
        String service = "social.coves.aggregator.service", authorization = "social.coves.aggregator.authorization";
        String serviceSql = "SELECT display_name, description, avatar_cid, config_schema::text, source_url, maintainer_did, created_at, uri, cid "
                + "FROM appview.aggregator_services WHERE did = $1";
        String r1 = h.tid(), r2 = h.tid(), r3 = h.tid(), r4 = h.tid();
        long t1 = 1_767_225_600_000_000L + 21_000_000_000L;   // 2026-01-01 + 21,000 s
        String t1Text = "2026-01-01T05:50Z";

        // create, claiming a createdAt in the future: clamped to the event time
        produce(Topics.REPO_EVENTS, List.of(commitAt(bot, "create", service, "self", r1,
                serviceRecord(bot, "Bot v1", null).put("createdAt", "2099-01-01T00:00:00Z"), t1)));
        awaitCaughtUp();
        assertThat(row(serviceSql, bot)).containsExactly("Bot v1", "about Bot v1", null, null, null, null, t1Text,
                "at://" + bot + "/" + service + "/self", ScriptedHistory.CID);

        // an update (avatar, settings schema, source, maintainer), then a stale update of an older rev: the newer stays
        ObjectNode v3 = serviceRecord(bot, "Bot v3", ScriptedHistory.CID).put("sourceUrl", "https://git.example/bot")
                .put("maintainer", moderator);
        v3.putObject("configSchema").put("type", "object").putObject("properties").putObject("regions").put("type", "string");
        produce(Topics.REPO_EVENTS, List.of(commit(bot, "update", service, "self", r3, v3),
                commit(bot, "update", service, "self", r2, serviceRecord(bot, "Bot v2 (stale)", null))));
        awaitCaughtUp();
        assertThat(row(serviceSql, bot)).containsExactly("Bot v3", "about Bot v3", ScriptedHistory.CID,
                "{\"type\": \"object\", \"properties\": {\"regions\": {\"type\": \"string\"}}}", "https://git.example/bot",
                moderator, "2026-01-01T00:00Z", "at://" + bot + "/" + service + "/self", ScriptedHistory.CID);

        // a delete removes it; a create older than that tombstone, delivered late, does not bring it back
        produce(Topics.REPO_EVENTS, List.of(commit(bot, "delete", service, "self", r4, null)));
        awaitCaughtUp();
        assertThat(row("SELECT count(*) FROM appview.aggregator_services WHERE did = $1", bot)).containsExactly(0L);
        produce(Topics.REPO_EVENTS, List.of(commit(bot, "create", service, "self", r2, serviceRecord(bot, "Bot v2 (late)", null))));
        awaitCaughtUp();
        assertThat(row("SELECT count(*) FROM appview.aggregator_services WHERE did = $1", bot)).containsExactly(0L);
        // declared again with a newer rev
        produce(Topics.REPO_EVENTS, List.of(commit(bot, "create", service, "self", h.tid(), serviceRecord(bot, "Bot again", null))));
        awaitCaughtUp();
        assertThat(row("SELECT display_name FROM appview.aggregator_services WHERE did = $1", bot)).containsExactly("Bot again");

        // an authorization in the community's repo: enabled, then disabled by a moderator
        String rkey = h.tid();
        String uri = "at://" + community + "/" + authorization + "/" + rkey;
        String authSql = "SELECT community_did, rkey, aggregator_did, enabled, config::text, created_by, created_at, disabled_at, disabled_by, cid "
                + "FROM appview.aggregator_authorizations WHERE uri = $1";
        String enabledPair = "SELECT count(*) FROM appview.aggregator_authorizations WHERE aggregator_did = $1 AND community_did = '"
                + community + "' AND enabled";
        produce(Topics.REPO_EVENTS, List.of(commit(community, "create", authorization, rkey, h.tid(),
                authorizationRecord(bot, community, true, moderator))));
        awaitCaughtUp();
        assertThat(row(authSql, uri)).containsExactly(community, rkey, bot, true, "{\"maxPostsPerDay\": 5}", moderator,
                "2026-01-02T00:00Z", null, null, ScriptedHistory.CID);
        assertThat(row(enabledPair, bot)).containsExactly(1L);

        String disable = h.tid();
        produce(Topics.REPO_EVENTS, List.of(commit(community, "update", authorization, rkey, disable,
                authorizationRecord(bot, community, false, moderator).put("disabledAt", "2026-01-03T10:00:00.000Z").put("disabledBy", moderator))));
        awaitCaughtUp();
        assertThat(row(authSql, uri)).containsExactly(community, rkey, bot, false, "{\"maxPostsPerDay\": 5}", moderator,
                "2026-01-02T00:00Z", "2026-01-03T10:00Z", moderator, ScriptedHistory.CID);
        assertThat(row(enabledPair, bot)).containsExactly(0L);

        // the same record now names another aggregator: the row moves, the old pairing is gone
        produce(Topics.REPO_EVENTS, List.of(commit(community, "update", authorization, rkey, h.tid(),
                authorizationRecord(other, community, true, moderator))));
        awaitCaughtUp();
        assertThat(row(authSql, uri)).containsExactly(community, rkey, other, true, "{\"maxPostsPerDay\": 5}", moderator,
                "2026-01-02T00:00Z", null, null, ScriptedHistory.CID);
        assertThat(row("SELECT count(*) FROM appview.aggregator_authorizations WHERE aggregator_did = $1", bot)).containsExactly(0L);
        assertThat(row(enabledPair, other)).containsExactly(1L);

        // a delete removes it; the disable delivered again (older than the tombstone) does not bring it back
        produce(Topics.REPO_EVENTS, List.of(commit(community, "delete", authorization, rkey, h.tid(), null),
                commit(community, "update", authorization, rkey, disable, authorizationRecord(bot, community, false, moderator))));
        awaitCaughtUp();
        assertThat(row("SELECT count(*) FROM appview.aggregator_authorizations WHERE community_did = $1", community)).containsExactly(0L);

        // records naming another repo never get written: an aggregator authorizing itself in its own repo, and a
        // service record in someone else's repo claiming the aggregator's DID
        produce(Topics.REPO_EVENTS, List.of(
                commit(bot, "create", authorization, h.tid(), h.tid(), authorizationRecord(bot, community, true, moderator)),
                commit(other, "create", service, "self", h.tid(), serviceRecord(bot, "Impostor", null))));
        awaitCaughtUp();
        assertThat(row("SELECT count(*) FROM appview.aggregator_authorizations WHERE community_did = $1", community)).containsExactly(0L);
        assertThat(row("SELECT count(*) FROM appview.aggregator_authorizations WHERE uri LIKE $1", "at://" + bot + "/%"))
                .containsExactly(0L);
        assertThat(row("SELECT count(*) FROM appview.aggregator_services WHERE did = $1", other)).containsExactly(0L);
        assertThat(row("SELECT display_name FROM appview.aggregator_services WHERE did = $1", bot)).containsExactly("Bot again");
    }

    @Test
    @Order(3)
    void aRecordTheDatabaseCannotStoreIsSetAsideAndItsPartitionGoesOn() {
        ScriptedHistory h = new ScriptedHistory("poison", 15000);
        produce(Topics.REPO_EVENTS, h.inOrder());
        awaitCaughtUp();

        // three posts in one community repo (one partition, one batch): the middle title holds a NUL, which valid JSON
        // carries but PostgreSQL text and jsonb refuse
        String post = "social.coves.community.post";
        String before = h.tid();
        String poison = h.tid();
        String after = h.tid();
        produce(Topics.REPO_EVENTS, List.of(
                commit(h.c1, "create", post, before, h.tid(), post(h.c1, h.u1, "before the poison")),
                commit(h.c1, "create", post, poison, h.tid(), post(h.c1, h.u1, "a NUL \u0000 inside")),
                commit(h.c1, "create", post, after, h.tid(), post(h.c1, h.u1, "after the poison"))));
        awaitCaughtUp();

        String at = "at://" + h.c1 + "/" + post + "/";
        assertThat(row("SELECT title FROM appview.posts WHERE uri = $1", at + before)).containsExactly("before the poison");
        assertThat(row("SELECT title FROM appview.posts WHERE uri = $1", at + after)).containsExactly("after the poison");
        assertThat(row("SELECT count(*) FROM appview.posts WHERE uri = $1", at + poison)).containsExactly(0L);
        assertThat(row("SELECT reason FROM appview.index_rejects WHERE payload LIKE '%' || $1 || '%'", poison).getFirst())
                .asString().startsWith("cannot be stored: ");
    }

    @Test
    @Order(3)
    void reDrivingSetAsideRecordsFoldsThemAndKeepsWhatIsNoEnvelope() {
        ScriptedHistory h = new ScriptedHistory("redrive", 18000);
        produce(Topics.REPO_EVENTS, h.inOrder());
        awaitCaughtUp();
        String post = "social.coves.community.post";
        String rkey = h.tid();
        EventEnvelope setAside = commit(h.c2, "create", post, rkey, h.tid(), post(h.c2, h.u2, "set aside, then fixed"));
        pool.preparedQuery("INSERT INTO appview.index_rejects (topic, partition, \"offset\", reason, payload) VALUES "
                        + "($1, 0, 9000000001, 'cannot be stored: (a bug since fixed)', $2), ($1, 0, 9000000002, 'not a valid envelope: x', '{not json')")
                .execute(Tuple.of(Topics.REPO_EVENTS, EnvelopeCodec.encodeToString(setAside))).await().indefinitely();

        IndexRejectsRedrive.Result result = redrive.redrive();
        assertThat(result.republished()).isPositive();
        assertThat(result.keptNotEnvelopes()).isPositive();
        awaitCaughtUp();

        assertThat(row("SELECT title FROM appview.posts WHERE uri = $1", "at://" + h.c2 + "/" + post + "/" + rkey))
                .containsExactly("set aside, then fixed");
        assertThat(row("SELECT count(*) FROM appview.index_rejects WHERE \"offset\" = $1", 9000000001L)).containsExactly(0L);
        assertThat(row("SELECT count(*) FROM appview.index_rejects WHERE \"offset\" = $1", 9000000002L)).containsExactly(1L);
    }

    private static JsonNode post(String community, String author, String title) {
        return JsonNodeFactory.instance.objectNode().put("$type", "social.coves.community.post").put("community", community)
                .put("author", author).put("title", title).put("createdAt", "2026-01-02T00:00:00.000Z");
    }

    private static EventEnvelope commit(String repo, String op, String collection, String rkey, String rev, JsonNode record) {
        return commitAt(repo, op, collection, rkey, rev, record, System.currentTimeMillis() * 1000);
    }

    private static EventEnvelope commitAt(String repo, String op, String collection, String rkey, String rev, JsonNode record, long timeUs) {
        return new EventEnvelope(EventEnvelope.CURRENT_VERSION, EventEnvelope.KIND_COMMIT, repo, timeUs, null, "test", null,
                new EventEnvelope.Commit(op, collection, rkey, rev, record == null ? null : ScriptedHistory.CID, record), null, null);
    }

    private static ObjectNode serviceRecord(String did, String name, String avatarCid) {
        ObjectNode record = JsonNodeFactory.instance.objectNode().put("$type", "social.coves.aggregator.service").put("did", did)
                .put("displayName", name).put("description", "about " + name)
                .put("createdAt", "2026-01-01T00:00:00.000Z");
        if (avatarCid != null) {
            record.putObject("avatar").put("$type", "blob").put("mimeType", "image/png").put("size", 2048).putObject("ref").put("$link", avatarCid);
        }
        return record;
    }

    private static ObjectNode authorizationRecord(String aggregator, String community, boolean enabled, String moderator) {
        ObjectNode record = JsonNodeFactory.instance.objectNode().put("$type", "social.coves.aggregator.authorization")
                .put("aggregatorDid", aggregator).put("communityDid", community).put("enabled", enabled).put("createdBy", moderator)
                .put("createdAt", "2026-01-02T00:00:00.000Z");
        record.putObject("config").put("maxPostsPerDay", 5);
        return record;
    }

    private static JsonNode subscription(String community) {
        return JsonNodeFactory.instance.objectNode().put("$type", "social.coves.community.subscription").put("subject", community)
                .put("createdAt", "2026-01-02T00:00:00.000Z");
    }

    private static JsonNode vote(String subject, String direction) {
        ObjectNode record = JsonNodeFactory.instance.objectNode().put("$type", "social.coves.feed.vote").put("direction", direction)
                .put("createdAt", "2026-01-02T00:00:00.000Z");
        record.putObject("subject").put("uri", subject).put("cid", ScriptedHistory.CID);
        return record;
    }

    private static EventEnvelope account(String did, boolean active, String status) {
        return account(did, active, status, null, System.currentTimeMillis() * 1000);
    }

    private static EventEnvelope account(String did, boolean active, String status, Long upstreamSeq, long timeUs) {
        return new EventEnvelope(EventEnvelope.CURRENT_VERSION, EventEnvelope.KIND_ACCOUNT, did, timeUs,
                null, "test", null, null, null, new EventEnvelope.Account(active, status, upstreamSeq, null));
    }

    /** Waits until the live indexer's stored offsets reach the end of both topics. */
    private void awaitCaughtUp() {
        await().atMost(120, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringDeserializer(), new StringDeserializer())) {
                for (var entry : Map.of(Topics.REPO_EVENTS, "coves-indexer", Topics.IDENTITY_EVENTS, "coves-indexer-identity").entrySet()) {
                    List<TopicPartition> parts = c.partitionsFor(entry.getKey()).stream()
                            .map(p -> new TopicPartition(entry.getKey(), p.partition())).toList();
                    for (var end : c.endOffsets(parts).entrySet()) {
                        if (end.getValue() == 0) {
                            continue;
                        }
                        Row r = pool.preparedQuery("SELECT COALESCE(max(next_offset), 0) FROM appview.consumer_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3")
                                .execute(Tuple.of(entry.getValue(), entry.getKey(), end.getKey().partition())).await().indefinitely().iterator().next();
                        if (r.getLong(0) < end.getValue()) {
                            return false;
                        }
                    }
                }
                return true;
            }
        });
    }

    private List<Object> row(String sql, Object arg) {
        return OneRow.of(pool, sql, arg);
    }

    private List<String> canonical(String filter) {
        return canonical(List.of(filter));
    }

    /** Canonical rows whose key contains one of the given strings ("" = all). */
    private List<String> canonical(List<String> anyOf) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery("SELECT tbl || ' ' || line FROM appview.canonical_rows() WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) f WHERE position(f in k) > 0) "
                        + "ORDER BY tbl, k COLLATE \"C\", line COLLATE \"C\"")
                .execute(Tuple.of(anyOf.toArray(String[]::new))).await().indefinitely().forEach(r -> out.add(r.getString(0)));
        return out;
    }

    /** Every index of the appview schema with its definition. */
    private List<String> indexes() {
        List<String> out = new ArrayList<>();
        pool.query("SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'appview' ORDER BY indexname")
                .execute().await().indefinitely().forEach(r -> out.add(r.getString(0)));
        return out;
    }

    private List<String> checksums() {
        List<String> out = new ArrayList<>();
        pool.query("SELECT tbl, row_count, md5 FROM appview.projection_checksums()").execute().await().indefinitely()
                .forEach(r -> out.add(r.getString(0) + " " + r.getLong(1) + " " + r.getString(2)));
        return out;
    }
}
