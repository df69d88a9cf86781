package social.coves.ingestor.export;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a run's time went: polling Kafka, parsing (on every core), routing rows to tables, writing and committing a
 * batch (wall time of the background batch, its table commits included), and the table commits themselves (summed).
 */
final class ExportTimings {

    enum Phase { POLL, PARSE, ROUTE, WRITE, COMMIT }

    private final Map<Phase, LongAdder> nanos = new LinkedHashMap<>();

    ExportTimings() {
        for (Phase phase : Phase.values()) {
            nanos.put(phase, new LongAdder());
        }
    }

    long start() {
        return System.nanoTime();
    }

    void add(Phase phase, long startedNanos) {
        nanos.get(phase).add(System.nanoTime() - startedNanos);
    }

    Map<String, Duration> summary() {
        Map<String, Duration> out = new LinkedHashMap<>();
        nanos.forEach((phase, total) -> out.put(phase.name().toLowerCase(), Duration.ofMillis(total.sum() / 1_000_000)));
        return out;
    }
}
