package social.coves.ingestor.indexer.identity;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays identity-service's HTTP endpoints for the indexer (that service's own rules are tested in its module):
 * {@code resolveIdentity} answers the handles registered with {@link #handle}, {@code verifyHosting} applies the
 * domain rule (hostedBy must be {@code did:web:<last two labels of the handle>}). {@link #down()} closes the port
 * (connections are refused) until {@link #up()}.
 */
public final class IdentityStandIn implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, String> HANDLES = new ConcurrentHashMap<>();
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static HttpServer server;
    private static int port;

    @Override
    public Map<String, String> start() {
        up();
        return Map.of("coves.indexer.identity-url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        down();
    }

    static void handle(String did, String handle) {
        HANDLES.put(did, handle);
    }

    static int requests() {
        return REQUESTS.get();
    }

    static synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new IllegalStateException("identity stand-in cannot listen on " + port, e);
        }
        port = server.getAddress().getPort();
        server.createContext("/xrpc/com.atproto.identity.resolveIdentity", IdentityStandIn::resolveIdentity);
        server.createContext("/xrpc/social.coves.identity.verifyHosting", IdentityStandIn::verifyHosting);
        server.start();
    }

    static synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private static void resolveIdentity(HttpExchange exchange) throws IOException {
        REQUESTS.incrementAndGet();
        String did = query(exchange).get("identifier");
        String handle = HANDLES.get(did);
        if (handle == null) {
            send(exchange, 400, "{\"error\":\"DidNotFound\",\"message\":\"" + did + " is not registered\"}");
        } else {
            send(exchange, 200, "{\"did\":\"" + did + "\",\"handle\":\"" + handle + "\",\"didDoc\":{\"id\":\"" + did + "\"}}");
        }
    }

    private static void verifyHosting(HttpExchange exchange) throws IOException {
        REQUESTS.incrementAndGet();
        Map<String, String> q = query(exchange);
        String handle = q.get("handle");
        String hostedBy = q.get("hostedBy");
        String[] labels = handle.split("\\.");
        String domain = labels[labels.length - 2] + "." + labels[labels.length - 1];
        boolean verified = ("did:web:" + domain).equals(hostedBy);
        String reason = verified ? "Verified" : hostedBy.startsWith("did:web:") ? "DomainMismatch" : "NotDidWeb";
        send(exchange, 200, "{\"verified\":" + verified + ",\"reason\":\"" + reason + "\",\"message\":\"" + hostedBy + " for "
                + domain + "\",\"handle\":\"" + handle + "\",\"hostedBy\":\"" + hostedBy + "\",\"domain\":\"" + domain + "\"}");
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
