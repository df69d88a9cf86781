package social.coves.ingestor.tracing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.envelope.Topics;
import social.coves.localstack.jetstream.SampleNetwork;
import social.coves.localstack.testing.JetstreamResource;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace context from the Jetstream frame to the indexer's transaction: the jetstream role's event span, its
 * Kafka producer span whose W3C context travels in the record's {@code traceparent} header, and the indexer batch
 * span that links to it, with the batch's SQL as children.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(JetstreamResource.class)
class TracePropagationTests {

    @Inject
    CapturedSpans spans;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    Pool pool;

    @Test
    void aJetstreamEventIsOneTraceThroughKafkaAndIsLinkedFromItsIndexerBatch() {
        // let the sample backlog drain first, so the new event comes in a batch of a few records (links are capped)
        await().atMost(120, TimeUnit.SECONDS).until(() -> indexedOffsets() > 0 && indexedOffsets() == endOffsets());
        String did = "did:plc:" + randomBase32(24);
        ObjectNode vote = JetstreamResource.sample().events().stream()
                .filter(e -> SampleNetwork.VOTE.equals(e.path("commit").path("collection").asText())).findFirst().orElseThrow().deepCopy();
        vote.put("did", did).remove("cursor");
        vote.remove("time_us");
        JetstreamResource.server().log().append(vote);

        ConsumerRecord<String, String> record = await().atMost(60, TimeUnit.SECONDS).until(() -> recordOf(did), r -> r != null);
        Header header = record.headers().lastHeader("traceparent");
        assertThat(header).as("W3C trace context in the Kafka record").isNotNull();
        String[] traceparent = new String(header.value(), StandardCharsets.UTF_8).split("-");
        assertThat(traceparent).hasSize(4);
        String traceId = traceparent[1];
        String producerSpanId = traceparent[2];
        assertThat(traceparent[3]).isEqualTo("01");   // sampled (always_on in tests)

        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> {
            List<SpanData> all = spans.all();
            SpanData publish = find(all, s -> s.getSpanId().equals(producerSpanId), "the producer span " + producerSpanId);
            assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(publish.getName()).isEqualTo(Topics.REPO_EVENTS + " publish");
            assertThat(publish.getTraceId()).isEqualTo(traceId);
            SpanData event = find(all, s -> s.getSpanId().equals(publish.getParentSpanId()), "the producer span's parent");
            assertThat(event.getName()).isEqualTo("jetstream event");
            assertThat(event.getTraceId()).isEqualTo(traceId);
            assertThat(event.getAttributes().get(IngestTracing.COLLECTION)).isEqualTo(SampleNetwork.VOTE);
            assertThat(event.getParentSpanContext().isValid()).as("the event span starts the trace").isFalse();

            SpanData batch = find(all, s -> s.getName().equals("indexer batch " + Topics.REPO_EVENTS)
                    && s.getLinks().stream().map(LinkData::getSpanContext)
                            .anyMatch(l -> l.getTraceId().equals(traceId) && l.getSpanId().equals(producerSpanId)),
                    "an indexer batch span linking to " + traceId + "/" + producerSpanId);
            assertThat(batch.getParentSpanContext().isValid()).as("a batch has many parents: it links, it is a root").isFalse();
            assertThat(batch.getAttributes().get(IngestTracing.BATCH_COUNT)).isPositive();
            assertThat(batch.getAttributes().get(IngestTracing.GROUP)).isEqualTo("coves-indexer");
            List<SpanData> sql = all.stream().filter(s -> s.getParentSpanId().equals(batch.getSpanId())).toList();
            assertThat(sql).as("the batch transaction's statements").isNotEmpty()
                    .allSatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT));
        });
    }

    private static SpanData find(List<SpanData> all, java.util.function.Predicate<SpanData> wanted, String what) {
        return all.stream().filter(wanted).findFirst().orElseThrow(() -> new AssertionError("no " + what + " among " + all.size()
                + " spans: " + all.stream().map(SpanData::getName).distinct().limit(20).toList()));
    }

    private static String randomBase32(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var random = new java.util.Random();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private long indexedOffsets() {
        return pool.preparedQuery("SELECT coalesce(sum(next_offset), 0) FROM appview.consumer_offsets WHERE group_id = 'coves-indexer' AND topic = $1")
                .execute(Tuple.of(Topics.REPO_EVENTS)).await().indefinitely().iterator().next().getLong(0);
    }

    private long endOffsets() {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.REPO_EVENTS).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private ConsumerRecord<String, String> recordOf(String did) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "trace-check-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.REPO_EVENTS));
            long deadline = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    if (did.equals(r.key())) {
                        return r;
                    }
                }
            }
        }
        return null;
    }
}
