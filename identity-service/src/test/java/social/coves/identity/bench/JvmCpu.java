package social.coves.identity.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where this JVM's time goes while a scenario runs: CPU time, and (Linux) the time its threads spent runnable but
 * waiting for a core ({@code /proc/self/task/<tid>/schedstat}, second field). Per request these are steadier figures
 * than latency on a shared machine, and together they show whether latency is work or queueing for a CPU.
 */
final class JvmCpu {

    private JvmCpu() {
    }

    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Sum over live threads of the run-queue wait; 0 where /proc is not there. */
    static long runQueueWaitNanos() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        long total = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                try {
                    String[] fields = Files.readString(thread.resolve("schedstat")).trim().split(" ");
                    total += Long.parseLong(fields[1]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
