package social.coves.localstack.jetstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import social.coves.localstack.synthetic.NetworkShape;
import social.coves.localstack.synthetic.SyntheticNetwork;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PacedFeedTests {

    @Test
    void appendsEveryFrameInOrderNeverAheadOfTheRateWithWitnessTimes() throws Exception {
        List<String> rkeys = new ArrayList<>();
        new SyntheticNetwork(NetworkShape.forEvents(60), 3, Instant.EPOCH).forEachRemaining(f -> rkeys.add(f.at("/commit/rkey").asText()));
        EventLog log = new EventLog();
        long before = System.currentTimeMillis() * 1000;
        long started = System.nanoTime();
        try (PacedFeed feed = PacedFeed.start(log, new SyntheticNetwork(NetworkShape.forEvents(60), 3, Instant.EPOCH), 100)) {
            Thread.sleep(200);
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(feed.appended()).as("at 100/s after %d ms", elapsedMs).isLessThanOrEqualTo(elapsedMs / 10 + 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.appended() == 60);
        }
        List<EventLog.Entry> entries = log.entries();
        assertThat(entries).hasSize(60);
        assertThat(entries.stream().map(e -> e.json().at("/commit/rkey").asText()).toList()).isEqualTo(rkeys);
        long previous = before;
        for (EventLog.Entry e : entries) {
            assertThat(e.timeUs()).isGreaterThanOrEqualTo(previous);
            previous = e.timeUs();
        }
        ObjectNode last = entries.getLast().json();
        assertThat(last.get("cursor").asLong()).isEqualTo(60);
    }
}
