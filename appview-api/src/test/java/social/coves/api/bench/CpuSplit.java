package social.coves.api.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went while a scenario ran, from {@code /proc} (Linux): this JVM (the API under test, its
 * harness idle meanwhile), the PostgreSQL server processes, everything else (wrk, identity-service, the OS), and idle.
 * Figures in cores (CPU seconds per second of wall time) and in CPU milliseconds per request.
 */
final class CpuSplit implements WrkDriver.Window {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final long self = ProcessHandle.current().pid();
    private Snapshot start;
    private Snapshot end;

    record Snapshot(long nanos, long apiTicks, long postgresTicks, long busyTicks, long allTicks) {
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/stat"));
    }

    @Override
    public void open() {
        start = snapshot();
    }

    @Override
    public void close() {
        end = snapshot();
    }

    /** "API 1.02 cores (0.49 ms/request), PostgreSQL 0.71 (0.34), other 0.18, idle 0.09 of 2 cores". */
    String describe(long requests) {
        if (start == null || end == null) {
            return "no CPU figures (no /proc)";
        }
        double seconds = (end.nanos - start.nanos) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        double api = (end.apiTicks - start.apiTicks) / (double) TICKS_PER_SECOND;
        double pg = (end.postgresTicks - start.postgresTicks) / (double) TICKS_PER_SECOND;
        double allTicks = end.allTicks - start.allTicks;
        double busy = allTicks <= 0 ? 0 : (end.busyTicks - start.busyTicks) / allTicks * cores * seconds;
        double other = Math.max(0, busy - api - pg);
        double idle = Math.max(0, cores * seconds - busy);
        return String.format("CPU: API %.2f cores (%.3f ms/request), PostgreSQL %.2f (%.3f ms/request), other (wrk, identity-service, OS) %.2f, idle %.2f, of %d cores",
                api / seconds, 1000 * api / Math.max(1, requests), pg / seconds, 1000 * pg / Math.max(1, requests), other / seconds,
                idle / seconds, cores);
    }

    private Snapshot snapshot() {
        long api = 0;
        long pg = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                Map.Entry<String, Long> stat = stat(proc);
                if (stat == null) {
                    continue;
                }
                if (Long.parseLong(proc.getFileName().toString()) == self) {
                    api += stat.getValue();
                } else if (stat.getKey().equals("postgres")) {
                    pg += stat.getValue();
                }
            }
        } catch (IOException e) {
            return new Snapshot(System.nanoTime(), 0, 0, 0, 0);
        }
        long[] cpu = cpuLine();
        return new Snapshot(System.nanoTime(), api, pg, cpu[0], cpu[1]);
    }

    /** (command name, utime + stime in ticks) of one process; null when it ended meanwhile. */
    private static Map.Entry<String, Long> stat(Path proc) {
        try {
            String line = Files.readString(proc.resolve("stat"));
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            String[] fields = line.substring(close + 2).split(" ");
            // fields after the name: state(0) ... utime(11) stime(12)
            return Map.entry(line.substring(open + 1, close), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {busy, all} ticks of the first line of /proc/stat (idle and iowait are not busy). */
    private static long[] cpuLine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long all = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                all += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {all - idle, all};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
