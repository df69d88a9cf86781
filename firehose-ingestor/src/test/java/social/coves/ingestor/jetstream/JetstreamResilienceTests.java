package social.coves.ingestor.jetstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import social.coves.localstack.jetstream.Faults;
import social.coves.localstack.jetstream.JetstreamServer;
import social.coves.localstack.jetstream.SyntheticEvents;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jetstream role against a misbehaving new-generation stand-in (seq cursors) and real Kafka: whatever the
 * server does, every event it sent ends up in Kafka at least once.
 */
@QuarkusTest
@TestProfile(ResilienceProfile.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(FaultyJetstreamResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JetstreamResilienceTests {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    JetstreamConsumer consumer;

    @Inject
    MeterRegistry metrics;

    JetstreamServer server;

    @BeforeEach
    void clearFaults() {
        server = FaultyJetstreamResource.server();
        server.faults().clear();
    }

    @Test
    @Order(1)
    void aDisconnectEveryNEventsLosesNothing() {
        server.faults().disconnectEvery(37, true);
        Set<String> expected = append(700, 1);
        server.faults().disconnectEvery(41, false);
        expected.addAll(append(700, 2));

        awaitAllInKafka(expected);
        assertThat(counter("coves_jetstream_reconnects_total", "cause", "closed")).isGreaterThanOrEqualTo(20);
    }

    @Test
    @Order(2)
    void aDuplicateBurstLosesNothingAndIsDeduplicated() {
        Set<String> expected = append(200, 3);
        awaitAllInKafka(expected);
        double duplicates = counter("coves_ingest_frames_total", "outcome", "duplicate");
        server.faults().duplicateBurst(50);
        expected.addAll(append(200, 4));

        awaitAllInKafka(expected);
        assertThat(counter("coves_ingest_frames_total", "outcome", "duplicate")).isGreaterThanOrEqualTo(duplicates + 50);
    }

    @Test
    @Order(3)
    void aProcessRestartMidStreamResumesFromTheDurableCursorInKafka() {
        Set<String> expected = append(3000, 5);
        await().atMost(30, TimeUnit.SECONDS).until(() -> IngestTopics.commitKeys(bootstrap).stream().anyMatch(expected::contains));
        consumer.stop();
        try {
            assertThat(IngestTopics.commitKeys(bootstrap).containsAll(expected)).as("stopped mid-stream").isFalse();
        } finally {
            consumer.start();
        }

        awaitAllInKafka(expected);
    }

    @Test
    @Order(4)
    void aMalformedFrameAndALexiconInvalidRecordLandInTheRejectsTopicWithAReason() {
        double unparseable = counter("coves_ingest_rejects_total", "reason", "unparseable");
        double invalidRecords = counter("coves_ingest_rejects_total", "reason", "invalid_record");
        byte[] garbage = "{\"did\":\"did:plc:garbage\", not json".getBytes(StandardCharsets.UTF_8);
        server.faults().inject(new Faults.Injection(garbage, false));
        ObjectNode invalid = new SyntheticEvents(6, Instant.now()).next();
        invalid.put("did", "did:plc:invalidrecord");
        ((ObjectNode) invalid.path("commit").path("record")).put("contentVisibility", 99);
        server.log().append(invalid);
        Set<String> expected = append(20, 7);

        awaitAllInKafka(expected);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            var rejects = IngestTopics.rejects(bootstrap);
            assertThat(rejects).anySatisfy(r -> {
                assertThat(r.value()).isEqualTo(garbage);
                assertThat(r.reason()).startsWith("unparseable JSON");
            });
            assertThat(rejects).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo("did:plc:invalidrecord");
                assertThat(r.reason()).contains("invalid social.coves.community.subscription record").contains("contentVisibility");
            });
        });
        // the dashboard's "rejects by reason": one per kind, labelled with a bounded category
        assertThat(counter("coves_ingest_rejects_total", "reason", "unparseable")).isEqualTo(unparseable + 1);
        assertThat(counter("coves_ingest_rejects_total", "reason", "invalid_record")).isEqualTo(invalidRecords + 1);
    }

    @Test
    @Order(5)
    void aServerResetIsAlarmedAndResumedFromATimeCursorWithoutAGap() {
        awaitAllInKafka(append(100, 8));
        double alarms = counter("coves_jetstream_cursor_reset_total", "reason", "seq_backwards");
        server.reset();
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.connections() > 0);
        // the consumer resumed with a seq far beyond the wiped log: the server silently gives the live tip
        Set<String> expected = append(300, 9);

        awaitAllInKafka(expected);
        assertThat(counter("coves_jetstream_cursor_reset_total", "reason", "seq_backwards")).isEqualTo(alarms + 1);
    }

    @Test
    @Order(6)
    void aServerThatHangsWithTheConnectionOpenIsLeftAfterTheReadTimeoutAndNothingIsLost() {
        awaitAllInKafka(append(50, 10));
        double timeouts = counter("coves_jetstream_read_timeouts_total", "host", server.subscribeUrl().split("/")[2]);
        server.faults().stallAfter(120);
        Set<String> expected = append(400, 11);

        await().atMost(30, TimeUnit.SECONDS).until(() -> server.faults().stalls() == 1);
        long stalledAt = System.nanoTime();
        // pings go unanswered and no event comes, but the socket is open: nothing may happen before read-timeout (5 s)
        await().during(3, TimeUnit.SECONDS).atMost(4, TimeUnit.SECONDS).until(() ->
                counter("coves_jetstream_read_timeouts_total", "host", server.subscribeUrl().split("/")[2]) == timeouts);
        assertThat(IngestTopics.commitKeys(bootstrap).containsAll(expected)).as("the rest comes only after a reconnect").isFalse();

        awaitAllInKafka(expected);
        assertThat(counter("coves_jetstream_read_timeouts_total", "host", server.subscribeUrl().split("/")[2])).isEqualTo(timeouts + 1);
        assertThat(System.nanoTime() - stalledAt).as("time from the stall to every event in Kafka")
                .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(5));
    }

    private Set<String> append(int count, long seed) {
        SyntheticEvents events = new SyntheticEvents(seed, Instant.now());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ObjectNode event = events.next();
            keys.add(IngestTopics.commitKey(event));
            server.log().append(event);
        }
        return keys;
    }

    private void awaitAllInKafka(Set<String> expected) {
        await().atMost(90, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(IngestTopics.commitKeys(bootstrap)).containsAll(expected));
    }

    private double counter(String name, String tag, String value) {
        var counter = metrics.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }
}
