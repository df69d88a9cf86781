package social.coves.api.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An HTTP relay in front of the real PDS that can fail chosen XRPC methods, so tests can stop "the PDS" between two
 * steps of a write: refuse a call before the PDS sees it, let the PDS do it and lose its answer, or hold it until
 * released (a timeout). Everything else passes through unchanged. Also counts calls per method.
 */
public final class FaultyPdsProxy implements AutoCloseable {

    /**
     * What happens to the next call of a method: refused, done by the PDS with its answer lost, held until released,
     * or answered 200 with an endless body (a misbehaving upstream; the relay stops after 64 MiB).
     */
    public enum Fault { REFUSE, LOSE_ANSWER, HANG, FLOOD }

    private static final List<String> HOP_BY_HOP = List.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "keep-alive", "expect");

    private final URI target;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Runnable> beforeNext = new ConcurrentHashMap<>();
    private final Map<String, UnaryOperator<String>> headerRewrites = new ConcurrentHashMap<>();
    private volatile boolean down;
    private volatile CountDownLatch release = new CountDownLatch(1);

    public FaultyPdsProxy(String targetUrl) throws IOException {
        this.target = URI.create(targetUrl.endsWith("/") ? targetUrl.substring(0, targetUrl.length() - 1) : targetUrl);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faulty-pds-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::relay);
        server.start();
    }

    public String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** The next call of {@code nsid} meets {@code fault} (once). */
    public void failNext(String nsid, Fault fault) {
        faults.put(nsid, fault);
    }

    /** Runs {@code action} when the next call of {@code nsid} arrives, before relaying it (once): a concurrent change. */
    public void beforeNext(String nsid, Runnable action) {
        ClassLoader caller = Thread.currentThread().getContextClassLoader(); // the test's (Quarkus) class loader
        beforeNext.put(nsid, () -> {
            ClassLoader own = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(caller);
            try {
                action.run();
            } finally {
                Thread.currentThread().setContextClassLoader(own);
            }
        });
    }

    /**
     * Every relayed request's header {@code name} (case-insensitive) becomes {@code rewrite} of its value: e.g. a DPoP
     * proof signed for this relay's URL re-signed for the PDS's, which checks {@code htu} against its own URL.
     */
    public void rewriteHeader(String name, UnaryOperator<String> rewrite) {
        headerRewrites.put(name.toLowerCase(Locale.ROOT), rewrite);
    }

    /** Every call is refused (502 from the relay, as a dead upstream behind a gateway), until {@link #up()}. */
    public void down() {
        down = true;
    }

    public void up() {
        down = false;
    }

    /** Lets calls held by {@link Fault#HANG} go on (their callers have long given up). */
    public void releaseHung() {
        release.countDown();
        release = new CountDownLatch(1);
    }

    public int calls(String nsid) {
        return calls.getOrDefault(nsid, new AtomicInteger()).get();
    }

    private void relay(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String nsid = path.startsWith("/xrpc/") ? path.substring("/xrpc/".length()) : path;
        calls.computeIfAbsent(nsid, k -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            Runnable before = beforeNext.remove(nsid);
            if (before != null) {
                before.run();
            }
            Fault fault = faults.remove(nsid);
            if (down || fault == Fault.REFUSE) {
                answer(exchange, 502, "{\"error\":\"BadGateway\",\"message\":\"upstream down\"}".getBytes());
                return;
            }
            if (fault == Fault.HANG) {
                release.await(60, TimeUnit.SECONDS);
                return;
            }
            if (fault == Fault.FLOOD) {
                flood(exchange);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    UnaryOperator<String> rewrite = headerRewrites.getOrDefault(name.toLowerCase(Locale.ROOT), UnaryOperator.identity());
                    values.forEach(v -> request.header(name, rewrite.apply(v)));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (fault == Fault.LOSE_ANSWER) {
                answer(exchange, 502, "{\"error\":\"BadGateway\",\"message\":\"answer lost\"}".getBytes());
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            answer(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void flood(HttpExchange exchange) {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            for (int i = 0; i < 1024; i++) {
                exchange.getResponseBody().write(chunk);
            }
        } catch (IOException readerGaveUp) {
            // what a capped reader does
        }
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        releaseHung();
        server.stop(0);
    }
}
