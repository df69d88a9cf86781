package social.coves.ingestor.jetstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import social.coves.localstack.jetstream.JetstreamServer;
import social.coves.localstack.jetstream.SyntheticEvents;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Multi-host failover against two stand-ins and real Kafka: the first host of the list dies mid-stream, the role
 * moves to the next one (a different seq space, so it resumes from a time cursor) and nothing is missing.
 */
@QuarkusTest
@TestProfile(ResilienceProfile.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(FailoverJetstreamResource.class)
class JetstreamFailoverTests {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    MeterRegistry metrics;

    @Test
    void whenTheFirstHostDiesTheNextOneResumesFromTheDurableCursorWithoutAGap() {
        JetstreamServer primary = FailoverJetstreamResource.primary();
        JetstreamServer secondary = FailoverJetstreamResource.secondary();
        String secondaryHost = secondary.subscribeUrl().split("/")[2];
        // the secondary has been running longer: the same events have other seqs there
        appendTo(List.of(secondary), 37, 20);

        // both hosts see the same network; the primary hangs after 1,000 events and then dies
        primary.faults().stallAfter(1_000);
        Set<String> expected = appendTo(List.of(primary, secondary), 1_500, 21);
        await().atMost(60, TimeUnit.SECONDS).until(() -> primary.faults().stalls() == 1);
        assertThat(secondary.connections()).as("the secondary is not used while the primary works").isZero();
        primary.close();
        // the network moves on while the primary is gone
        expected.addAll(appendTo(List.of(secondary), 300, 22));

        await().atMost(90, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(IngestTopics.commitKeys(bootstrap)).containsAll(expected));
        assertThat(secondary.connections()).isEqualTo(1);
        var failovers = metrics.find("coves_jetstream_failovers_total").tag("host", secondaryHost).counter();
        assertThat(failovers).isNotNull();
        assertThat(failovers.count()).isEqualTo(1);
        var alarms = metrics.find("coves_jetstream_cursor_reset_total").counter();
        assertThat(alarms == null ? 0 : alarms.count()).as("a host switch is planned, not a cursor alarm").isZero();
    }

    /** Appends the same events (in the same order) to each server's log; returns their natural keys. */
    private static Set<String> appendTo(List<JetstreamServer> servers, int count, long seed) {
        SyntheticEvents events = new SyntheticEvents(seed, Instant.now());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ObjectNode event = events.next();
            keys.add(IngestTopics.commitKey(event));
            for (JetstreamServer server : servers) {
                server.log().append(event.deepCopy());
            }
        }
        return keys;
    }
}
