package social.coves.ingestor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import social.coves.localstack.jetstream.SampleNetwork;
import social.coves.localstack.testing.JetstreamResource;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;
import social.coves.lexicon.envelope.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Both roles in one app: the Jetstream stand-in → real Kafka → real Postgres. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(JetstreamResource.class)
class JetstreamToPostgresTests {

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everySampleCommunityIsProjectedWithItsHandleAndLatestProfile() {
        List<SampleNetwork.Community> expected = JetstreamResource.sample().communities();

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(communities()).containsExactlyInAnyOrderElementsOf(
                        expected.stream().map(c -> c.did() + " " + c.handle() + " " + c.name()).toList()));

        // the sample ends with an edit of the first community: the update replaced the create
        SampleNetwork.Community first = expected.getFirst();
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            Row row = pool.preparedQuery("SELECT display_name, description FROM appview.communities WHERE did = $1")
                    .execute(Tuple.of(first.did())).await().indefinitely().iterator().next();
            assertThat(row.getString("display_name")).endsWith(" Club");
            assertThat(row.getString("description")).contains("edited");
        });
    }

    @Test
    void malformedFramesAndInvalidRecordsLandInTheRejectsTopicWithAReason() {
        ObjectMapper mapper = new ObjectMapper();
        var log = JetstreamResource.server().log();
        var wrongType = mapper.createObjectNode().put("did", "did:plc:rejectme").put("time_us", System.currentTimeMillis() * 1000).put("kind", "commit");
        wrongType.putObject("commit").put("rev", "3lzzzzzzzzz2a").put("operation", "create")
                .put("collection", "social.coves.community.profile").put("rkey", "self").put("cid", "bafyreib")
                .putObject("record").put("$type", "app.bsky.feed.post");
        log.append(wrongType);
        var noKind = mapper.createObjectNode().put("did", "did:plc:rejectme2").put("time_us", 5L);
        log.append(noKind);

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            Map<String, String> reasons = rejects();
            assertThat(reasons).containsKey("did:plc:rejectme");
            assertThat(reasons.get("did:plc:rejectme")).contains("does not match collection social.coves.community.profile");
            assertThat(reasons).containsEntry("did:plc:rejectme2", "missing kind");
        });
    }

    private List<String> communities() {
        List<String> out = new ArrayList<>();
        pool.query("SELECT c.did, a.handle, c.name FROM appview.communities c LEFT JOIN appview.actors a ON a.did = c.did")
                .execute().await().indefinitely()
                .forEach(r -> out.add(r.getString(0) + " " + r.getString(1) + " " + r.getString(2)));
        return out;
    }

    private Map<String, String> rejects() {
        Map<String, String> reasons = new java.util.HashMap<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "rejects-check-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.INGEST_REJECTS));
            long deadline = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    var header = r.headers().lastHeader(Topics.HEADER_REJECT_REASON);
                    reasons.put(r.key(), header == null ? null : new String(header.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return reasons;
    }
}
