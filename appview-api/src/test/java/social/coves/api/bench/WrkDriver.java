package social.coves.api.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load from a separate process: wrk (Debian package {@code wrk}), so the load generator does not compete with the
 * server inside one JVM. Used when {@code wrk} is on the PATH; the in-JVM {@link LoadDriver} otherwise.
 */
final class WrkDriver {

    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$");
    private static final Pattern LATENCY = Pattern.compile("^\\s+Latency\\s+\\S+\\s+\\S+\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern RPS = Pattern.compile("^Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("^\\s+(\\d+) requests in");
    private static final Pattern ERRORS = Pattern.compile("^\\s+Non-2xx or 3xx responses: (\\d+)");

    static boolean available() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() >= 0;
        } catch (Exception e) {
            return false;
        }
    }

    static LoadDriver.Result run(String name, String url, String authorization, int clients, Duration warmUp, Duration measure) throws Exception {
        exec(url, authorization, clients, warmUp);
        List<String> out = exec(url, authorization, clients, measure);
        double p50 = 0, p99 = 0, max = 0, rps = 0;
        long total = 0, errors = 0;
        for (String line : out) {
            Matcher m;
            if ((m = PERCENTILE.matcher(line)).find()) {
                double ms = millis(m.group(2), m.group(3));
                if (m.group(1).equals("50")) {
                    p50 = ms;
                } else {
                    p99 = ms;
                }
            } else if ((m = LATENCY.matcher(line)).find()) {
                max = millis(m.group(1), m.group(2));
            } else if ((m = RPS.matcher(line)).find()) {
                rps = Double.parseDouble(m.group(1));
            } else if ((m = TOTAL.matcher(line)).find()) {
                total = Long.parseLong(m.group(1));
            } else if ((m = ERRORS.matcher(line)).find()) {
                errors = Long.parseLong(m.group(1));
            }
        }
        if (total == 0) {
            System.out.println("wrk completed no request for " + name + ":\n  " + String.join("\n  ", out));
        }
        double seconds = rps > 0 ? total / rps : measure.toSeconds();
        return new LoadDriver.Result(name + " [wrk]", clients, total, errors, seconds, p50, p99, max);
    }

    private static List<String> exec(String url, String authorization, int clients, Duration duration) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + clients, "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--latency", "--timeout", "10s"));
        if (authorization != null) {
            command.addAll(List.of("-H", "Authorization: " + authorization));
        }
        command.add(url);
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
            default -> v;
        };
    }
}
