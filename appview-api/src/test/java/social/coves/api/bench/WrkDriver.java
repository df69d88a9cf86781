package social.coves.api.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load from a separate process: wrk (Debian package {@code wrk}), so the load generator does not compete with the
 * server inside one JVM. Used when {@code wrk} is on the PATH; the in-JVM {@link LoadDriver} otherwise.
 *
 * <p>A list of requests is walked once, not replayed: wrk's two threads start half the list apart, and every run over
 * the same list (warm-up, measured part, capture) starts where the previous one stopped, so a measured run does not
 * send again the URLs its warm-up just sent (which any cache would then answer). Only a list shorter than the runs
 * over it wraps around.
 */
final class WrkDriver {

    private static final int THREADS = 2;
    /** Per list of requests: its script, and how many requests runs over it have sent. */
    private static final Map<List<Request>, Path> SCRIPTS = new IdentityHashMap<>();
    private static final Map<List<Request>, Long> SENT = new IdentityHashMap<>();

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

    /** Something opened just before the measured part of a run and closed right after it (CPU figures, a capture). */
    interface Window {
        void open();

        void close();
    }

    /** One request a scenario sends: a URL and its Authorization header (null for none). */
    record Request(String url, String authorization) {
    }

    static LoadDriver.Result run(String name, String url, String authorization, int clients, Duration warmUp, Duration measure) throws Exception {
        return run(name, List.of(new Request(url, authorization)), clients, warmUp, measure);
    }

    /** As {@link #run(String, String, String, int, Duration, Duration)}, each connection cycling through {@code requests}. */
    static LoadDriver.Result run(String name, List<Request> requests, int clients, Duration warmUp, Duration measure) throws Exception {
        return run(name, requests, clients, warmUp, measure, new Window[0]);
    }

    /** As above, with {@code windows} opened around the measured part (in order, closed in reverse). */
    static LoadDriver.Result run(String name, List<Request> requests, int clients, Duration warmUp, Duration measure, Window... windows)
            throws Exception {
        exec(requests, clients, warmUp);
        int opened = 0;
        List<String> out;
        try {
            for (Window w : windows) {
                w.open();
                opened++;
            }
            out = exec(requests, clients, measure);
        } finally {
            for (int i = opened - 1; i >= 0; i--) {
                windows[i].close();
            }
        }
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

    private static List<String> exec(List<Request> requests, int clients, Duration duration) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + THREADS, "-c" + clients, "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--latency", "--timeout", "10s"));
        Request first = requests.getFirst();
        if (requests.size() == 1 && first.authorization() != null) {
            command.addAll(List.of("-H", "Authorization: " + first.authorization()));
        } else if (requests.size() > 1) {
            command.addAll(List.of("-s", SCRIPTS.computeIfAbsent(requests, WrkDriver::script).toString()));
        }
        command.add(first.url());
        if (requests.size() > 1) {
            // each thread goes on from where it stopped in the previous run over this list
            command.addAll(List.of("--", Long.toString(SENT.getOrDefault(requests, 0L) / THREADS % requests.size()), Integer.toString(THREADS)));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        }
        process.waitFor();
        for (String line : lines) {
            if (line.contains(".lua: ")) { // wrk reports a script that does not run and then sends only its URL
                throw new IllegalStateException("wrk could not run its script: " + line);
            }
            Matcher m = TOTAL.matcher(line);
            if (m.find()) {
                SENT.merge(requests, Long.parseLong(m.group(1)), Long::sum);
            }
        }
        return lines;
    }

    /**
     * A wrk Lua script whose request() walks the requests (same host as the first): thread k of n starts at
     * {@code args[1] + k·size/n} and wraps around at the end.
     */
    private static Path script(List<Request> requests) {
        try {
            return writeScript(requests);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path writeScript(List<Request> requests) throws java.io.IOException {
        // the requests in a file of their own, one per line (path, tab, Authorization or nothing): a Lua table
        // constructor holds at most 65,536 constants
        StringBuilder lines = new StringBuilder();
        for (Request r : requests) {
            URI uri = URI.create(r.url());
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            lines.append(path).append('\t').append(r.authorization() == null ? "" : r.authorization()).append('\n');
        }
        Path data = Files.createTempFile("wrk-requests", ".tsv");
        Files.writeString(data, lines);
        data.toFile().deleteOnExit();
        String lua = """
                local reqs = {}
                for line in io.lines(%s) do
                  local path, authorization = line:match("^([^\t]*)\t(.*)$")
                  reqs[#reqs + 1] = {path, authorization ~= "" and authorization or nil}
                end
                local threads = 0
                setup = function(thread)
                  thread:set("id", threads)
                  threads = threads + 1
                end
                local i = 0
                init = function(args)
                  local start = tonumber(args[1]) or 0
                  local threads = tonumber(args[2]) or 1
                  i = (start + id * math.floor(#reqs / threads)) %% #reqs
                end
                request = function()
                  i = i %% #reqs + 1
                  local r = reqs[i]
                  local headers = {}
                  if r[2] then headers["Authorization"] = r[2] end
                  return wrk.format("GET", r[1], headers)
                end
                """.formatted(luaString(data.toString()));
        Path file = Files.createTempFile("wrk-requests", ".lua");
        Files.writeString(file, lua);
        file.toFile().deleteOnExit();
        return file;
    }

    private static String luaString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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
