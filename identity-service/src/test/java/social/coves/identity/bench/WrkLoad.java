package social.coves.identity.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop HTTP load from a separate process: wrk (Debian package {@code wrk}), with a small Lua script that cycles
 * through the URLs. Used when {@code wrk} is on the PATH, so the load generator is not a thread pool inside the server's JVM.
 */
final class WrkLoad {

    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$");
    private static final Pattern LATENCY = Pattern.compile("^\\s+Latency\\s+\\S+\\s+\\S+\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern TOTAL = Pattern.compile("^\\s+(\\d+) requests in ([0-9.]+)(us|ms|s|m)");
    private static final Pattern NON_2XX = Pattern.compile("^\\s+Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET = Pattern.compile("^\\s+Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    static boolean available() {
        if (Boolean.getBoolean("coves.bench.in-jvm")) {
            return false;
        }
        try {
            Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** {@code thinkMillis} > 0: each connection waits that long after an answer before its next request. */
    LoadResult run(String name, List<URI> uris, int clients, long thinkMillis, Duration warmUp, Duration measure) throws Exception {
        Path script = script(uris, thinkMillis);
        URI base = uris.getFirst().resolve("/");
        exec(base, script, clients, warmUp);
        LoadResult.JvmTime t0 = LoadResult.JvmTime.now();
        List<String> out = exec(base, script, clients, measure);
        LoadResult.JvmTime spent = LoadResult.JvmTime.now().since(t0);
        double p50 = 0, p99 = 0, max = 0, seconds = measure.toSeconds();
        long total = 0, errors = 0;
        for (String line : out) {
            Matcher m;
            if ((m = PERCENTILE.matcher(line)).find()) {
                if (m.group(1).equals("50")) {
                    p50 = millis(m.group(2), m.group(3));
                } else {
                    p99 = millis(m.group(2), m.group(3));
                }
            } else if ((m = LATENCY.matcher(line)).find()) {
                max = millis(m.group(1), m.group(2));
            } else if ((m = TOTAL.matcher(line)).find()) {
                total = Long.parseLong(m.group(1));
                seconds = millis(m.group(2), m.group(3)) / 1000;
            } else if ((m = NON_2XX.matcher(line)).find()) {
                errors += Long.parseLong(m.group(1));
            } else if ((m = SOCKET.matcher(line)).find()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Long.parseLong(m.group(g));
                }
            }
        }
        if (total == 0) {
            throw new IllegalStateException("wrk produced no figures:\n" + String.join("\n", out));
        }
        return new LoadResult(name, "wrk", clients, total, errors, seconds, p50, p99, max, 0, 0, 0).with(spent);
    }

    /** A Lua script in which every wrk thread cycles through the paths, starting at a different one. */
    private static Path script(List<URI> uris, long thinkMillis) throws Exception {
        StringBuilder lua = new StringBuilder("local paths = {\n");
        for (URI uri : uris) {
            lua.append("  \"").append(uri.getRawPath()).append('?').append(uri.getRawQuery()).append("\",\n");
        }
        lua.append("}\nlocal i = math.random(#paths)\n")
                .append("request = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n");
        if (thinkMillis > 0) {
            lua.append("delay = function()\n  return ").append(thinkMillis).append("\nend\n");
        }
        Path file = Files.createTempFile("identity-bench", ".lua");
        file.toFile().deleteOnExit();
        Files.writeString(file, lua);
        return file;
    }

    private static List<String> exec(URI base, Path script, int clients, Duration duration) throws Exception {
        List<String> command = List.of("wrk", "-t2", "-c" + clients, "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--latency", "--timeout", "10s", "-s", script.toString(), base.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        }
        process.waitFor();
        return lines;
    }

    private static double millis(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            case "m" -> v * 60_000;
            default -> v;
        };
    }
}
