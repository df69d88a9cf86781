package social.coves.ingestor.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The export on real Kafka and PostgreSQL, read back with DuckDB as an analyst would: every table's rows and checksum
 * equal what the history implies; a run killed between writing and committing, then restarted, gives the same tables
 * as a clean run; a later run adds exactly the new events; envelopes with newer optional fields and values that are not
 * envelopes export without stopping the run.
 */
class KafkaLogExportTests {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void everyTableHoldsWhatTheHistoryImplies() throws Exception {
        ExportFixture f = new ExportFixture();
        List<EventEnvelope> history = ExportFixture.network(3_000, 5, START);
        f.produce(history);

        KafkaLogExport.Report report = f.export("coves", 100_000);

        assertThat(report.eventsRead()).isEqualTo(history.size());
        Map<String, String> expected = new ExpectedTables(history).countAndChecksum();
        assertThat(expected.keySet()).contains("posts", "comments", "votes", "subscriptions", "communities", "identity_events");
        assertThat(exported(f, "coves", expected.keySet())).isEqualTo(expected);
        assertThat(f.hasFiles("coves", "malformed_events")).isFalse();

        // every table's snapshot records the offsets it covers: here the end of every partition; the group follows
        Map<TopicPartition, Long> end = endOffsets(f);
        try (IcebergWarehouse warehouse = IcebergWarehouse.open(f.settings("coves", 1))) {
            for (String table : List.of("posts", "votes", "identity_events", "blocks")) {
                String summary = warehouse.table(ExportTables.named(table)).currentSnapshot().summary().get(LogPositions.SUMMARY_KEY);
                assertThat(LogPositions.decode(summary).next()).as(table).isEqualTo(end);
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, f.bootstrap))) {
            Map<TopicPartition, Long> group = new java.util.HashMap<>();
            admin.listConsumerGroupOffsets(f.settings("coves", 1).groupId()).partitionsToOffsetAndMetadata().get()
                    .forEach((tp, offset) -> group.put(tp, offset.offset()));
            assertThat(group).isEqualTo(end);
        }

        // typed columns, as the records say
        long upVotes = history.stream().filter(e -> e.commit() != null && e.commit().record() != null
                && e.commit().collection().equals("social.coves.feed.vote") && e.commit().record().path("direction").asText().equals("up")).count();
        assertThat(ExportFixture.duck("SELECT count(*) FROM " + f.files("coves", "votes") + " WHERE direction = 'up'"))
                .containsExactly(String.valueOf(upVotes));
        long titled = history.stream().filter(e -> e.commit() != null && e.commit().record() != null
                && e.commit().collection().equals("social.coves.community.post") && e.commit().record().hasNonNull("title")).count();
        assertThat(ExportFixture.duck("SELECT count(title), count(*) FILTER (WHERE operation <> 'delete' AND community IS NULL) FROM "
                + f.files("coves", "posts"))).containsExactly(String.valueOf(titled), "0");
        // record_json is the record as it was written
        EventEnvelope someVote = history.stream().filter(e -> e.commit() != null && e.commit().record() != null
                && e.commit().collection().equals("social.coves.feed.vote")).reduce((a, b) -> b).orElseThrow();
        String recordJson = ExportFixture.duck("SELECT record_json FROM " + f.files("coves", "votes") + " WHERE uri = '"
                + someVote.commit().uri(someVote.did()) + "' AND rev = '" + someVote.commit().rev() + "'").getFirst();
        assertThat(EnvelopeCodec.mapper().readTree(recordJson)).isEqualTo(someVote.commit().record());
        assertThat(ExportFixture.duck("SELECT count(*) FROM " + f.files("coves", "posts") + " WHERE operation <> 'delete' AND NOT json_valid(record_json)"))
                .containsExactly("0");
        // one batch: every comment's depth is resolved, and right
        Map<String, Integer> depths = ExpectedTables.trueDepths(history);
        List<String> exportedDepths = ExportFixture.duckRows("SELECT uri, depth FROM " + f.files("coves", "comments") + " WHERE operation <> 'delete'");
        assertThat(exportedDepths).isNotEmpty().allSatisfy(row -> {
            String[] parts = row.split(" \\| ");
            assertThat(parts[1]).isEqualTo(String.valueOf(depths.get(parts[0])));
        });
        assertThat(ExportFixture.duck("SELECT max(depth) FROM " + f.files("coves", "comments")).getFirst()).isNotEqualTo("0");
        // partitioned by day: one folder per day of time_us, and the rows in it are of that day
        assertThat(ExportFixture.duck("SELECT count(DISTINCT CAST(event_time AS DATE)), count(*) FILTER (WHERE "
                + "CAST(event_time AS DATE) <> CAST(make_timestamp(time_us) AS DATE)) FROM " + f.files("coves", "votes")).getLast())
                .isEqualTo("0");
    }

    @Test
    void aRunKilledBeforeItsCommitsThenRestartedGivesTheSameTables() throws Exception {
        ExportFixture f = new ExportFixture();
        List<EventEnvelope> history = ExportFixture.network(2_500, 8, START);
        f.produce(history);
        f.export("reference", 100_000);

        // killed twice: once after some tables of a commit round committed and others not, once before any
        AtomicInteger votesCommits = new AtomicInteger();
        ExportFaults killOnThirdVotesCommit = table -> {
            if (table.equals("votes") && votesCommits.incrementAndGet() == 3) {
                throw new SimulatedCrash("killed");   // the process dies: files stay behind
            }
        };
        assertThatThrownBy(() -> new KafkaLogExport(f.settings("killed", 300), killOnThirdVotesCommit).run()).hasMessageContaining("killed");
        ExportFaults killAtFirstCommit = table -> {
            throw new IllegalStateException("killed again");   // a failed commit: the run removes what it wrote
        };
        assertThatThrownBy(() -> new KafkaLogExport(f.settings("killed", 300), killAtFirstCommit).run()).hasMessageContaining("killed again");
        // that run started by removing the crash's leftovers and removed its own files when its commits failed:
        // the folders hold exactly the committed rows
        try (IcebergWarehouse warehouse = IcebergWarehouse.open(f.settings("killed", 1))) {
            for (ExportTable table : ExportTables.ALL) {
                var snapshot = warehouse.table(table).currentSnapshot();
                long committed = snapshot == null ? 0 : Long.parseLong(snapshot.summary().get("total-records"));
                long inFolder = f.hasFiles("killed", table.name())
                        ? Long.parseLong(ExportFixture.duck("SELECT count(*) FROM " + f.files("killed", table.name())).getFirst()) : 0;
                assertThat(inFolder).as(table.name()).isEqualTo(committed);
            }
        }
        KafkaLogExport.Report resumed = new KafkaLogExport(f.settings("killed", 300), ExportFaults.NONE).run();
        assertThat(resumed.eventsRead()).isLessThan(history.size());

        Map<String, String> expected = new ExpectedTables(history).countAndChecksum();
        assertThat(exported(f, "killed", expected.keySet())).isEqualTo(expected);
        for (String table : expected.keySet()) {
            assertThat(allColumns(f, "killed", table)).as(table).isEqualTo(allColumns(f, "reference", table));
        }
        // a reply exported before its parent keeps depth NULL; a depth that is there is right
        Map<String, Integer> depths = ExpectedTables.trueDepths(history);
        assertThat(ExportFixture.duckRows("SELECT uri, depth FROM " + f.files("killed", "comments") + " WHERE depth IS NOT NULL"))
                .isNotEmpty().allSatisfy(row -> assertThat(row.split(" \\| ")[1]).isEqualTo(String.valueOf(depths.get(row.split(" \\| ")[0]))));
    }

    @Test
    void aLaterRunAddsExactlyTheNewEventsAndNewerFieldsBecomeColumns() throws Exception {
        ExportFixture f = new ExportFixture();
        List<EventEnvelope> all = ExportFixture.network(1_500, 9, START);
        List<EventEnvelope> first = all.subList(0, 1_000);
        List<EventEnvelope> second = all.subList(1_000, all.size());
        f.produce(first);
        f.export("coves", 400);

        Map<String, String> afterFirst = exported(f, "coves", new ExpectedTables(first).countAndChecksum().keySet());
        assertThat(afterFirst).isEqualTo(new ExpectedTables(first).countAndChecksum());

        // the second part, one envelope with fields newer than this code, and a value that is not an envelope
        f.produce(second);
        EventEnvelope vote = second.stream().filter(e -> e.commit() != null && e.commit().collection().equals("social.coves.feed.vote")
                && e.commit().record() != null).findFirst().orElseThrow();
        ObjectNode newer = (ObjectNode) EnvelopeCodec.mapper().readTree(EnvelopeCodec.encodeToString(vote));
        newer.put("region", "eu-west").put("relayHops", 2);
        ((ObjectNode) newer.get("commit")).put("sigAlg", "ES256K");
        EventEnvelope aggregator = new EventEnvelope(EventEnvelope.CURRENT_VERSION, EventEnvelope.KIND_COMMIT, "did:plc:aggregatoraggregatoraggr",
                vote.timeUs(), null, "jetstream.test", null, new EventEnvelope.Commit("create", "social.coves.aggregator.service", "self",
                "3kzzzzzzzzzz2", vote.commit().cid(), EnvelopeCodec.mapper().createObjectNode().put("displayName", "News bot")), null, null);
        f.produceRaw(List.of(
                new String[]{f.repoTopic, aggregator.did(), EnvelopeCodec.encodeToString(aggregator)},
                new String[]{f.repoTopic, vote.did(), newer.toString()},
                new String[]{f.repoTopic, "did:plc:broken", "{not json"},
                new String[]{f.identityTopic, "did:plc:future", "{\"v\":2,\"kind\":\"identity\",\"did\":\"did:plc:future\",\"timeUs\":1}"},
                new String[]{f.identityTopic, "did:plc:farfuture", "{\"v\":1,\"kind\":\"identity\",\"did\":\"did:plc:farfuture\","
                        + "\"timeUs\":9223372036854775807,\"identity\":{\"handle\":\"far.test\"}}"}));

        KafkaLogExport.Report report = f.export("coves", 400);
        assertThat(report.eventsRead()).isEqualTo(second.size() + 5);

        List<EventEnvelope> expectedHistory = new ArrayList<>(all);
        expectedHistory.add(vote);   // the newer-field copy is one more vote row
        expectedHistory.add(aggregator);   // a collection with no table of its own: other_commits
        Map<String, String> expected = new ExpectedTables(expectedHistory).countAndChecksum();
        assertThat(exported(f, "coves", expected.keySet())).isEqualTo(expected);
        assertThat(ExportFixture.duck("SELECT collection, rkey, record_json FROM " + f.files("coves", "other_commits")))
                .containsExactly("social.coves.aggregator.service", "self", "{\"displayName\":\"News bot\"}");
        assertThat(ExportFixture.duck("SELECT region, relay_hops, commit_sig_alg FROM " + f.files("coves", "votes") + " WHERE region IS NOT NULL"))
                .containsExactly("eu-west", "2", "ES256K");
        assertThat(ExportFixture.duckRows("SELECT topic, reason FROM " + f.files("coves", "malformed_events") + " ORDER BY topic, reason"))
                .satisfiesExactly(
                        row -> assertThat(row).startsWith(f.identityTopic + " | cannot export: java.lang.ArithmeticException"),
                        row -> assertThat(row).isEqualTo(f.identityTopic + " | unsupported envelope version 2"),
                        row -> assertThat(row).startsWith(f.repoTopic + " | not a valid envelope: Unexpected character"));

        // a third run over the same range changes nothing, not even the tables' snapshots
        Map<String, Long> snapshots = snapshotIds(f);
        KafkaLogExport.Report again = f.export("coves", 400);
        assertThat(again.eventsRead()).isZero();
        assertThat(exported(f, "coves", expected.keySet())).isEqualTo(expected);
        assertThat(snapshotIds(f)).isEqualTo(snapshots);
    }

    @Test
    void aFirstRunStartsFromATimeOrAnOffset() throws Exception {
        ExportFixture f = new ExportFixture(1, 1);
        List<EventEnvelope> all = ExportFixture.network(600, 10, START);
        List<EventEnvelope> early = all.subList(0, 400);
        List<EventEnvelope> late = all.subList(400, all.size());
        f.produceRaw(f.records(early), Instant.parse("2026-11-01T00:00:00Z").toEpochMilli());
        f.produceRaw(f.records(late), Instant.parse("2026-11-02T00:00:00Z").toEpochMilli());

        new KafkaLogExport(f.settings("fromtime", 1_000, ExportSettings.StartFrom.parse("time:2026-11-01T12:00:00Z")), ExportFaults.NONE).run();
        assertThat(exported(f, "fromtime", new ExpectedTables(late).countAndChecksum().keySet()))
                .isEqualTo(new ExpectedTables(late).countAndChecksum());

        // offset:N starts every partition there (one partition per topic here): the repo topic's events from N on
        long n = 100;
        List<EventEnvelope> fromOffset = new java.util.ArrayList<>();
        List<EventEnvelope> repo = all.stream().filter(e -> e.commit() != null).toList();
        List<EventEnvelope> identity = all.stream().filter(e -> e.commit() == null).toList();
        fromOffset.addAll(repo.subList((int) n, repo.size()));
        fromOffset.addAll(identity.subList((int) Math.min(n, identity.size()), identity.size()));
        new KafkaLogExport(f.settings("fromoffset", 1_000, ExportSettings.StartFrom.parse("offset:" + n)), ExportFaults.NONE).run();
        assertThat(exported(f, "fromoffset", new ExpectedTables(fromOffset).countAndChecksum().keySet()))
                .isEqualTo(new ExpectedTables(fromOffset).countAndChecksum());
    }

    @Test
    void oneExportAtATimeAndAnotherEnginesSnapshotsChangeNothing() throws Exception {
        ExportFixture f = new ExportFixture();
        List<EventEnvelope> history = ExportFixture.network(800, 11, START);
        f.produce(history);
        f.export("coves", 100_000);
        Map<String, String> expected = new ExpectedTables(history).countAndChecksum();

        // another engine's maintenance (a compaction, a delete) makes snapshots without the export's offsets
        try (IcebergWarehouse warehouse = IcebergWarehouse.open(f.settings("coves", 1))) {
            warehouse.table(ExportTables.named("votes")).newAppend().commit();
            warehouse.table(ExportTables.named("posts")).newAppend().set("engine", "spark").commit();
            // while this session holds the namespace, a second export refuses to start
            assertThatThrownBy(() -> f.export("coves", 100_000)).hasMessageContaining("another export of namespace");
        }
        KafkaLogExport.Report again = f.export("coves", 100_000);
        assertThat(again.eventsRead()).isZero();
        assertThat(exported(f, "coves", expected.keySet())).isEqualTo(expected);
    }

    private static Map<String, Long> snapshotIds(ExportFixture f) throws Exception {
        Map<String, Long> ids = new TreeMap<>();
        try (IcebergWarehouse warehouse = IcebergWarehouse.open(f.settings("coves", 1))) {
            for (ExportTable table : ExportTables.ALL) {
                ids.put(table.name(), warehouse.table(table).currentSnapshot().snapshotId());
            }
        }
        return ids;
    }

    private static Map<TopicPartition, Long> endOffsets(ExportFixture f) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, f.bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            for (String topic : List.of(f.repoTopic, f.identityTopic)) {
                consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            return consumer.endOffsets(partitions);
        }
    }

    /** A crash at a chosen point: unlike an exception, nothing in the run cleans up after it. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    private static Map<String, String> exported(ExportFixture f, String namespace, Iterable<String> tables) {
        Map<String, String> out = new TreeMap<>();
        for (String table : tables) {
            out.put(table, f.hasFiles(namespace, table) ? ExportFixture.duck(ExpectedTables.checksumSql(table, f.files(namespace, table))).getFirst() : "0 none");
        }
        return out;
    }

    /** Every column of every row except the Kafka offsets' own bookkeeping, as one sorted digest. */
    private static String allColumns(ExportFixture f, String namespace, String table) {
        String except = table.equals("comments") ? " EXCLUDE (depth)" : "";
        return ExportFixture.duck("SELECT count(*) || ' ' || md5(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY CAST(t AS VARCHAR))) "
                + "FROM (SELECT *" + except + " FROM " + f.files(namespace, table) + ") t").getFirst();
    }
}
