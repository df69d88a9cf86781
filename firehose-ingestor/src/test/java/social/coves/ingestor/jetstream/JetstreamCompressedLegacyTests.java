package social.coves.ingestor.jetstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.envelope.Topics;
import social.coves.localstack.jetstream.Faults;
import social.coves.localstack.jetstream.JetstreamServer;
import social.coves.localstack.jetstream.SyntheticEvents;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A legacy server (time_us cursors only) with {@code compress=true} and the real legacy dictionary. */
@QuarkusTest
@TestProfile(CompressedLegacyProfile.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(value = FaultyJetstreamResource.class, initArgs = {
        @ResourceArg(name = "legacy", value = "true"), @ResourceArg(name = "compress", value = "true")})
class JetstreamCompressedLegacyTests {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    MeterRegistry metrics;

    @Test
    void compressedLegacyStreamWithDisconnectsAndACorruptFrameLosesNothing() {
        JetstreamServer server = FaultyJetstreamResource.server();
        server.faults().disconnectEvery(53, false);
        Set<String> expected = append(server, 400, 11);
        awaitAllInKafka(expected);

        server.faults().clear().inject(new Faults.Injection(new byte[]{0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 1, 2, 3, 4, 5}, true));
        expected.addAll(append(server, 100, 12));
        awaitAllInKafka(expected);

        assertThat(metrics.find("coves_jetstream_decode_failures_total").counter()).isNotNull();
        assertThat(metrics.find("coves_jetstream_decode_failures_total").counter().count()).isEqualTo(1);
        assertThat(metrics.find("coves_jetstream_bytes_total").tag("encoding", "compressed").counter().count()).isPositive();
        assertThat(IngestTopics.envelopes(bootstrap, Topics.REPO_EVENTS)).allSatisfy(e -> assertThat(e.has("seq") && !e.get("seq").isNull()).isFalse());
        var alarms = metrics.find("coves_jetstream_cursor_reset_total").counter();
        assertThat(alarms == null ? 0 : alarms.count()).as("time cursors came back: no clamp alarm").isZero();
    }

    private static Set<String> append(JetstreamServer server, int count, long seed) {
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
}
