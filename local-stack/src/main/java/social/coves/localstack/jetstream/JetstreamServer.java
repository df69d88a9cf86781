package social.coves.localstack.jetstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Jetstream-compatible server (v1 {@code GET /subscribe}) over an {@link EventLog}: inclusive replay from a seq or
 * time cursor, live tail after that, {@code wantedCollections}/{@code wantedDids} filters, websocket pings, and
 * text frames of bare event JSON. Bad query parameters get a plain-text 400 as on the real server.
 */
public final class JetstreamServer implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    private final EventLog log;

    private JetstreamServer(Vertx vertx, HttpServer server, EventLog log) {
        this.vertx = vertx;
        this.server = server;
        this.log = log;
    }

    /** Starts on {@code port} (0 = any free port) on the loopback interface. */
    public static JetstreamServer start(int port, EventLog log) {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer();
        server.requestHandler(request -> handle(vertx, log, request));
        try {
            HttpServer listening = server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new JetstreamServer(vertx, listening, log);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("jetstream stand-in could not listen on " + port, e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** The URL a consumer configures, e.g. {@code ws://127.0.0.1:6008/subscribe}. */
    public String subscribeUrl() {
        return "ws://127.0.0.1:" + port() + "/subscribe";
    }

    public EventLog log() {
        return log;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort on shutdown
        }
    }

    private static void handle(Vertx vertx, EventLog log, HttpServerRequest request) {
        if (!"/subscribe".equals(request.path())) {
            request.response().setStatusCode(404).putHeader("content-type", "text/plain").end("not found");
            return;
        }
        SubscribeFilter filter;
        Long cursor;
        try {
            filter = SubscribeFilter.of(request.params().getAll("wantedCollections"), request.params().getAll("wantedDids"));
            cursor = parseCursor(request.getParam("cursor"));
        } catch (IllegalArgumentException e) {
            request.response().setStatusCode(400).putHeader("content-type", "text/plain")
                    .end("subscribe: invalid options: " + e.getMessage());
            return;
        }
        request.toWebSocket().onSuccess(ws -> new Subscription(vertx, log, ws, filter, log.startIndex(cursor)).begin());
    }

    private static Long parseCursor(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            long value = Long.parseLong(raw);
            if (value < 0) {
                throw new IllegalArgumentException("cursor must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cursor is not an integer: " + raw);
        }
    }

    /** One connected consumer: sends from its position while the socket's write queue has room. */
    private static final class Subscription {
        private final Vertx vertx;
        private final EventLog log;
        private final ServerWebSocket ws;
        private final SubscribeFilter filter;
        private final Consumer<EventLog.Entry> onAppend;
        private int next;
        private boolean closed;
        private long pingTimer;

        Subscription(Vertx vertx, EventLog log, ServerWebSocket ws, SubscribeFilter filter, int start) {
            this.vertx = vertx;
            this.log = log;
            this.ws = ws;
            this.filter = filter;
            this.next = start;
            var context = vertx.getOrCreateContext();
            this.onAppend = entry -> context.runOnContext(v -> pump());
        }

        void begin() {
            log.addListener(onAppend);
            ws.closeHandler(v -> stop());
            ws.exceptionHandler(e -> stop());
            ws.drainHandler(v -> pump());
            ws.textMessageHandler(text -> { /* options_update is not supported by the stand-in; ignored like unknown types */ });
            pingTimer = vertx.setPeriodic(30_000, id -> ws.writePing(io.vertx.core.buffer.Buffer.buffer("ping")));
            pump();
        }

        private void pump() {
            while (!closed && !ws.writeQueueFull() && next < log.size()) {
                EventLog.Entry entry = log.get(next++);
                if (filter.matches(entry)) {
                    ws.writeTextMessage(entry.json().toString());
                }
            }
        }

        private void stop() {
            if (!closed) {
                closed = true;
                vertx.cancelTimer(pingTimer);
                log.removeListener(onAppend);
            }
        }
    }

}
