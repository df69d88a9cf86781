package social.coves.localstack.jetstream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Jetstream-compatible server (v1 {@code GET /subscribe}) over an {@link EventLog}: inclusive replay from a seq or
 * time cursor, live tail after that, {@code wantedCollections}/{@code wantedDids} filters, websocket pings, text
 * frames of bare event JSON, or binary zstd frames with the legacy dictionary on {@code compress=true}. Bad query
 * parameters get a plain-text 400 as on the real server. {@link Faults} script disconnects, duplicates and garbage;
 * {@link Options#legacy()} imitates a pre-rewrite server (no {@code cursor} field, time cursors only).
 */
public final class JetstreamServer implements AutoCloseable {

    /**
     * @param zstdDictionary the legacy dictionary for {@code compress=true}; {@code null} refuses compression with 400
     * @param legacy         no {@code cursor} field in events; every cursor is a unix-µs time
     * @param pingMillis     interval of server pings
     */
    public record Options(Path zstdDictionary, boolean legacy, long pingMillis) {
        public static final Options DEFAULT = new Options(null, false, 30_000);

        public Options withDictionary(Path dictionary) {
            return new Options(dictionary, legacy, pingMillis);
        }

        public Options withLegacy(boolean legacyMode) {
            return new Options(zstdDictionary, legacyMode, pingMillis);
        }
    }

    private final Vertx vertx;
    private final EventLog log;
    private final Options options;
    private final ZstdFrames zstd;
    private final Faults faults = new Faults();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile Consumer<EventLog.Entry> sentListener;
    private HttpServer server;

    private JetstreamServer(Vertx vertx, EventLog log, Options options) {
        this.vertx = vertx;
        this.log = log;
        this.options = options;
        this.zstd = options.zstdDictionary() == null ? null : ZstdFrames.fromDictionary(options.zstdDictionary());
    }

    /** Starts on {@code port} (0 = any free port) on the loopback interface. */
    public static JetstreamServer start(int port, EventLog log) {
        return start(port, log, Options.DEFAULT);
    }

    public static JetstreamServer start(int port, EventLog log, Options options) {
        Vertx vertx = Vertx.vertx();
        JetstreamServer jetstream = new JetstreamServer(vertx, log, options);
        HttpServer server = vertx.createHttpServer();
        server.requestHandler(jetstream::handle);
        try {
            jetstream.server = server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return jetstream;
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

    /**
     * Encodes every event of the log now, as text frames or as zstd frames, so that a benchmark measures the
     * consumer rather than the stand-in's encoder (the frames are cached per event, as the real server does).
     */
    public void preEncode(boolean compressed) {
        for (EventLog.Entry entry : log.entries()) {
            if (compressed) {
                entry.frames().compressed(options.legacy(), zstd);
            } else {
                entry.frames().text(options.legacy());
            }
        }
    }

    public Faults faults() {
        return faults;
    }

    /** Called (on a server thread) each time an event is handed to a subscriber's socket; for latency probes. */
    public void onSent(Consumer<EventLog.Entry> listener) {
        this.sentListener = listener;
    }

    public int connections() {
        return subscriptions.size();
    }

    /** Drops every open connection, with a 1001 close frame or by closing the TCP connection without one. */
    public void disconnectAll(boolean closeFrame) {
        for (Subscription s : List.copyOf(subscriptions)) {
            s.context.runOnContext(v -> s.disconnect(closeFrame));
        }
    }

    /** A server whose data was wiped: every connection drops and seqs restart at 1. */
    public void reset() {
        log.reset();
        disconnectAll(false);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort on shutdown
        }
    }

    private void handle(HttpServerRequest request) {
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
        String encoding = request.getHeader("Socket-Encoding");
        boolean compress = "true".equals(request.getParam("compress")) || (encoding != null && encoding.contains("zstd"));
        if (compress && zstd == null) {
            request.response().setStatusCode(400).putHeader("content-type", "text/plain").end("compression is not configured");
            return;
        }
        String extensions = request.getHeader("Sec-WebSocket-Extensions");
        if (compress && extensions != null && extensions.contains("permessage-deflate")) {
            request.response().setStatusCode(400).putHeader("content-type", "text/plain")
                    .end("choose one compression scheme: compress=true or permessage-deflate");
            return;
        }
        int start = options.legacy() ? log.legacyStartIndex(cursor) : log.startIndex(cursor);
        HttpConnection connection = request.connection();
        request.toWebSocket().onSuccess(ws -> new Subscription(ws, connection, filter, start, compress).begin());
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
    private final class Subscription {
        private final ServerWebSocket ws;
        private final HttpConnection connection;
        /** Replaced whole by an {@code options_update}; read for every event. */
        private volatile SubscribeFilter filter;
        private final boolean compress;
        private final io.vertx.core.Context context;
        private final Consumer<EventLog.Entry> onAppend;
        private int next;
        private int sent;
        private boolean closed;
        private long pingTimer;

        Subscription(ServerWebSocket ws, HttpConnection connection, SubscribeFilter filter, int start, boolean compress) {
            this.ws = ws;
            this.connection = connection;
            this.filter = filter;
            this.next = start;
            this.compress = compress;
            this.context = vertx.getOrCreateContext();
            this.onAppend = entry -> context.runOnContext(v -> pump());
        }

        void begin() {
            subscriptions.add(this);
            log.addListener(onAppend);
            ws.closeHandler(v -> stop());
            ws.exceptionHandler(e -> stop());
            ws.drainHandler(v -> pump());
            ws.textMessageHandler(this::onSubscriberMessage);
            pingTimer = vertx.setPeriodic(options.pingMillis(), id -> ws.writePing(Buffer.buffer("ping")));
            pump();
        }

        /**
         * {@code {"type":"options_update","payload":{"wantedCollections":[…],"wantedDids":[…],"maxMessageSizeBytes":n}}}
         * replaces the filter (omitted lists match all); other types are ignored. A frame that is not such an envelope
         * closes with 1007, invalid entries with 1008, as Jetstream does.
         */
        private void onSubscriberMessage(String text) {
            io.vertx.core.json.JsonObject message;
            try {
                message = new io.vertx.core.json.JsonObject(text);
            } catch (RuntimeException e) {
                ws.close((short) 1007, "bad SubscriberSourcedMessage envelope");
                return;
            }
            if (!"options_update".equals(message.getString("type"))) {
                return;
            }
            List<String> collections;
            List<String> dids;
            try {
                io.vertx.core.json.JsonObject payload = message.getJsonObject("payload");
                collections = strings(payload.getJsonArray("wantedCollections"));
                dids = strings(payload.getJsonArray("wantedDids"));
            } catch (RuntimeException e) {
                ws.close((short) 1007, "bad options_update payload");
                return;
            }
            try {
                filter = SubscribeFilter.of(collections, dids);
            } catch (IllegalArgumentException e) {
                String reason = e.getMessage();
                ws.close((short) 1008, reason.length() > 123 ? reason.substring(0, 123) : reason);
            }
        }

        private static List<String> strings(io.vertx.core.json.JsonArray array) {
            List<String> out = new ArrayList<>();
            if (array != null) {
                for (int i = 0; i < array.size(); i++) {
                    if (!(array.getValue(i) instanceof String value)) {
                        throw new IllegalStateException("not a string");   // undecodable payload
                    }
                    out.add(value);
                }
            }
            return out;
        }

        private void pump() {
            while (!closed && !ws.writeQueueFull()) {
                EventLog.Entry entry;
                synchronized (log) {
                    if (next >= log.size()) {
                        // a reset shrank the log below our position: wait at the (new) tip like a fresh live tail
                        next = Math.min(next, log.size());
                        return;
                    }
                    entry = log.get(next++);
                }
                if (!filter.matches(entry)) {
                    continue;
                }
                Faults.Injection injection = faults.takeInjection();
                if (injection != null) {
                    if (injection.binary()) {
                        ws.writeBinaryMessage(Buffer.buffer(injection.payload()));
                    } else {
                        ws.writeTextMessage(new String(injection.payload(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
                write(entry);
                int burst = faults.takeDuplicateBurst();
                if (burst > 0) {
                    resendLast(burst);
                }
                sent++;
                if (faults.takeStall(sent)) {
                    stall();
                    return;
                }
                int every = faults.disconnectEvery();
                if (every > 0 && sent >= every) {
                    disconnect(faults.closeFrame());
                    return;
                }
            }
        }

        private void write(EventLog.Entry entry) {
            if (compress) {
                ws.writeBinaryMessage(Buffer.buffer(entry.frames().compressed(options.legacy(), zstd)));
            } else {
                ws.writeTextMessage(entry.frames().text(options.legacy()));
            }
            Consumer<EventLog.Entry> listener = sentListener;
            if (listener != null) {
                listener.accept(entry);
            }
        }

        private void resendLast(int burst) {
            List<EventLog.Entry> again = new ArrayList<>();
            synchronized (log) {
                for (int i = next - 1; i >= 0 && again.size() < burst; i--) {
                    if (i < log.size() && filter.matches(log.get(i))) {
                        again.addFirst(log.get(i));
                    }
                }
            }
            again.forEach(this::write);
        }

        /** Hangs: no more events or pings, and no reading (so no pongs), with the TCP connection left open. */
        private void stall() {
            stop();
            ws.pause();
        }

        void disconnect(boolean closeFrame) {
            if (closed) {
                return;
            }
            stop();
            if (closeFrame) {
                ws.close((short) 1001, "server shutting down");
            } else {
                connection.close();
            }
        }

        private void stop() {
            if (!closed) {
                closed = true;
                subscriptions.remove(this);
                vertx.cancelTimer(pingTimer);
                log.removeListener(onAppend);
            }
        }
    }

}
