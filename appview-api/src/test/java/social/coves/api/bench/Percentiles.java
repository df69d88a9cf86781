package social.coves.api.bench;

import java.util.Collection;

/** Nearest-rank percentiles of latencies measured in nanoseconds, answered in milliseconds. */
final class Percentiles {

    private Percentiles() {
    }

    /** {@code sortedNanos} ascending; 0 when there is nothing measured. */
    static double millis(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        return sortedNanos[Math.min(sortedNanos.length - 1, Math.max(0, (int) Math.ceil(p * sortedNanos.length) - 1))] / 1e6;
    }

    static long[] sorted(Collection<Long> nanos) {
        return nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }
}
