package social.coves.localstack.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import social.coves.localstack.pds.PdsStack;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Test only: a real headless Chromium signing a user in through a PDS's OAuth pages ({@code local-stack/pds/
 * oauth-browser.mjs}, playwright-core driving Debian's {@code /usr/bin/chromium}). It opens {@code startUrl} (the
 * PDS's authorization endpoint with a {@code request_uri}, or an app URL that redirects there), signs in with
 * {@code identifier} and {@code password}, authorizes (or, with {@link #deny}, denies) and stops at the first main-frame
 * request whose URL starts with one of {@code stopPrefixes}: an http(s) one is aborted before it is sent, a redirect to
 * an app's deep link ({@code social.coves:/callback?...}) is read from the redirect's Location. {@code mapHosts}
 * resolve to 127.0.0.1 in the browser (their port is kept; self-signed certificates are accepted there) and their
 * responses are recorded. When the client's {@code login_hint} names another account than {@code identifier}, the
 * page is not given the hint and the browser signs in as {@code identifier} (the PDS allows it): a user signing in as
 * someone else than the client asked for, which the client must notice ({@code sub}).
 *
 * <pre>{@code
 * OAuthBrowser.Result r = OAuthBrowser.signIn(authorizeUrl, "alice.coves.test", "hunter22",
 *         List.of("http://127.0.0.1/callback"), List.of());
 * r.stopQuery().get("code");
 * }</pre>
 *
 * A run that does not reach a stop prefix (timeout, the PDS's error page, a refused password, no chromium) throws
 * {@link Failed}, with the browser's own {@link Result} when it printed one, its stderr tail and a screenshot path.
 * The node package is found like {@link PdsStack#packageDir()}; chromium is {@code -Dcoves.chromium} /
 * {@code COVES_CHROMIUM}, default {@code /usr/bin/chromium}.
 */
public final class OAuthBrowser {

    /** The default time the browser has to reach a stop prefix. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** A response of a {@code mapHosts} host: its URL, status and {@code Location} header (null when none). */
    public record Response(String url, int status, String location) {
    }

    /** A cookie of the browser context when it stopped. */
    public record Cookie(String name, String value, String domain, String path, boolean httpOnly, boolean secure,
                         String sameSite) {
    }

    /**
     * What the browser saw: the URL it stopped at (null when it did not), every main-frame navigation (including the
     * PDS's {@code #step=...} changes), the responses of the mapped hosts, all cookies, the error and a screenshot
     * of a failed run.
     */
    public record Result(String stoppedAt, List<String> navigations, List<Response> responses, List<Cookie> cookies,
                         String error, String screenshot) {

        public boolean stopped() {
            return stoppedAt != null;
        }

        /** The decoded query parameters of {@link #stoppedAt()} (first value of each name). */
        public Map<String, String> stopQuery() {
            Map<String, String> query = new LinkedHashMap<>();
            if (stoppedAt == null || !stoppedAt.contains("?")) {
                return query;
            }
            String raw = stoppedAt.substring(stoppedAt.indexOf('?') + 1);
            int hash = raw.indexOf('#');
            if (hash >= 0) {
                raw = raw.substring(0, hash);
            }
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(name, value);
            }
            return query;
        }

        /** The cookie named {@code name} (the first one, whatever its domain). */
        public Optional<Cookie> cookie(String name) {
            return cookies.stream().filter(c -> c.name().equals(name)).findFirst();
        }
    }

    /** The browser did not reach a stop prefix. */
    public static final class Failed extends RuntimeException {
        private final transient Result result;
        private final String stderrTail;

        Failed(String message, Result result, String stderrTail, Throwable cause) {
            super(message + (result != null && result.screenshot() != null ? " (screenshot " + result.screenshot() + ")" : "")
                    + (result != null ? "\nnavigations: " + result.navigations() : "")
                    + "\n--- oauth-browser.mjs stderr (tail) ---\n" + stderrTail, cause);
            this.result = result;
            this.stderrTail = stderrTail;
        }

        /** What the browser printed, when it printed anything (null otherwise). */
        public Result result() {
            return result;
        }

        public String stderrTail() {
            return stderrTail;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LAUNCH_MARGIN = Duration.ofSeconds(30);
    private static final int STDERR_TAIL_LINES = 40;

    private OAuthBrowser() {
    }

    /** Signs in and authorizes; see the class comment. */
    public static Result signIn(String startUrl, String identifier, String password, List<String> stopPrefixes,
                                List<String> mapHosts) {
        return run(startUrl, identifier, password, stopPrefixes, mapHosts, false, DEFAULT_TIMEOUT);
    }

    /** Signs in and denies access on the consent screen (the client gets {@code error=access_denied}). */
    public static Result deny(String startUrl, String identifier, String password, List<String> stopPrefixes,
                              List<String> mapHosts) {
        return run(startUrl, identifier, password, stopPrefixes, mapHosts, true, DEFAULT_TIMEOUT);
    }

    /**
     * The general form: {@code deny} clicks "Deny access" instead of "Authorize"; {@code timeout} is the browser's
     * (this waits up to 30 s more for chromium to start and stop).
     */
    public static Result run(String startUrl, String identifier, String password, List<String> stopPrefixes,
                             List<String> mapHosts, boolean deny, Duration timeout) {
        if (stopPrefixes.isEmpty()) {
            throw new IllegalArgumentException("at least one stop prefix is needed");
        }
        Path chromium = chromium();
        if (!Files.isExecutable(chromium)) {
            throw new Failed("no chromium at " + chromium + " (install Debian's chromium package, or set "
                    + "-Dcoves.chromium / COVES_CHROMIUM)", null, "", null);
        }
        Path dir = PdsStack.packageDir();
        PdsStack.ensureInstalled(dir);
        Path screenshots = Path.of("target", "local-stack", "oauth-browser").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(PdsStack.node(), dir.resolve("oauth-browser.mjs").toString(),
                "--start-url=" + startUrl,
                "--identifier=" + identifier,
                "--password=" + password,
                "--timeout-ms=" + timeout.toMillis(),
                "--chromium=" + chromium,
                "--screenshot-dir=" + screenshots));
        stopPrefixes.forEach(p -> command.add("--stop-prefix=" + p));
        mapHosts.forEach(h -> command.add("--map-host=" + h));
        if (deny) {
            command.add("--deny");
        }

        Path stdout = null;
        Path stderr = null;
        Process process = null;
        try {
            stdout = Files.createTempFile("coves-oauth-browser-", ".out");
            stderr = Files.createTempFile("coves-oauth-browser-", ".err");
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.plus(LAUNCH_MARGIN).toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new Failed("oauth-browser.mjs did not finish within " + timeout.plus(LAUNCH_MARGIN), null,
                        tail(stderr), null);
            }
            Result result = parse(Files.readString(stdout, StandardCharsets.UTF_8));
            if (result == null) {
                throw new Failed("oauth-browser.mjs exited with " + process.exitValue() + " without a result line",
                        null, tail(stderr), null);
            }
            if (process.exitValue() != 0 || !result.stopped()) {
                throw new Failed("the browser did not reach " + stopPrefixes + ": " + result.error(), result,
                        tail(stderr), null);
            }
            return result;
        } catch (IOException e) {
            throw new Failed("cannot run " + String.join(" ", command.subList(0, 2)) + ": " + e, null,
                    stderr == null ? "" : tail(stderr), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            throw new Failed("interrupted while the browser ran", null, "", e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** The chromium binary: {@code -Dcoves.chromium}, else {@code COVES_CHROMIUM}, else {@code /usr/bin/chromium}. */
    public static Path chromium() {
        String configured = System.getProperty("coves.chromium", System.getenv("COVES_CHROMIUM"));
        return Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
    }

    static Result parse(String stdout) throws IOException {
        String line = null;
        for (String l : stdout.split("\n")) {
            if (l.startsWith("{")) {
                line = l; // the last JSON line is the result
            }
        }
        if (line == null) {
            return null;
        }
        JsonNode n = JSON.readTree(line);
        List<String> navigations = new ArrayList<>();
        n.path("navigations").forEach(u -> navigations.add(u.asText()));
        List<Response> responses = new ArrayList<>();
        n.path("responses").forEach(r -> responses.add(new Response(r.path("url").asText(), r.path("status").asInt(),
                text(r, "location"))));
        List<Cookie> cookies = new ArrayList<>();
        n.path("cookies").forEach(c -> cookies.add(new Cookie(c.path("name").asText(), c.path("value").asText(),
                c.path("domain").asText(), c.path("path").asText(), c.path("httpOnly").asBoolean(),
                c.path("secure").asBoolean(), text(c, "sameSite"))));
        return new Result(text(n, "stoppedAt"), List.copyOf(navigations), List.copyOf(responses), List.copyOf(cookies),
                text(n, "error"), text(n, "screenshot"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
