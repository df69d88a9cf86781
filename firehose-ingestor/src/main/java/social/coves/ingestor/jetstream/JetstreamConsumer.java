package social.coves.ingestor.jetstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import social.coves.ingestor.IngestorRoles;
import social.coves.ingestor.tracing.IngestTracing;
import social.coves.lexicon.envelope.EnvelopeCodec;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The jetstream role: one WebSocket subscription to Jetstream v1, every frame normalised and written to Kafka,
 * reconnecting with exponential backoff and jitter from the newest cursor that Kafka has acknowledged.
 *
 * <p>websockets-next has no way to pause a client connection (the Vert.x socket is not exposed), so reading is
 * bounded by shedding: at {@code max-in-flight} unacknowledged events the connection is closed, frames still in
 * the pipe are discarded unregistered (the durable cursor is behind them, so they are re-delivered), and once Kafka
 * has drained to {@code resume-in-flight} the role reconnects from the durable cursor. Memory stays bounded and
 * nothing is skipped.
 */
@ApplicationScoped
public class JetstreamConsumer {

    private static final Logger LOG = Logger.getLogger(JetstreamConsumer.class);

    private final JetstreamConfig config;
    private final IngestorRoles roles;
    private final EventPublisher publisher;
    private final Vertx vertx;
    private final Map<String, Object> kafkaConfig;
    private final MeterRegistry metrics;
    private final JetstreamRecordValidator validator;
    private final JetstreamHosts hosts;
    private final ZstdFrameDecoder zstd;
    private final IngestTracing tracing;
    private final AtomicLong connectedGauge = new AtomicLong();
    private final AtomicLong lastTimeUs = new AtomicLong();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer produceLatency;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter duplicates;
    private final Counter compressedBytes;
    private final Counter uncompressedBytes;

    private JetstreamEventNormaliser normaliser;
    private volatile AckedCursorTracker cursors;
    private Session session;
    private volatile boolean stopping = true;
    private int epoch;
    private String epochSource;
    private long highestSeen = -1;
    private long backoffMillis;
    private int failures;
    private boolean metersRegistered;

    @Inject
    public JetstreamConsumer(JetstreamConfig config, IngestorRoles roles, EventPublisher publisher, Vertx vertx,
                             @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry metrics,
                             JetstreamRecordValidator validator, IngestTracing tracing) {
        this.config = config;
        this.tracing = tracing;
        this.roles = roles;
        this.publisher = publisher;
        this.vertx = vertx;
        this.kafkaConfig = kafkaConfig;
        this.metrics = metrics;
        this.validator = validator;
        this.hosts = new JetstreamHosts(config.url());
        this.zstd = config.zstdDictionary().map(p -> ZstdFrameDecoder.fromFile(p, config.maxDecompressedBytes())).orElse(null);
        this.produceLatency = Timer.builder("coves_jetstream_produce_latency").register(metrics);
        // per-event meters resolved once (the hot path must not build meter ids for every frame)
        this.accepted = Counter.builder("coves_ingest_frames_total").tag("outcome", "accepted").register(metrics);
        this.rejected = Counter.builder("coves_ingest_frames_total").tag("outcome", "rejected").register(metrics);
        this.duplicates = Counter.builder("coves_ingest_frames_total").tag("outcome", "duplicate").register(metrics);
        this.compressedBytes = Counter.builder("coves_jetstream_bytes_total").tag("encoding", "compressed").register(metrics);
        this.uncompressedBytes = Counter.builder("coves_jetstream_bytes_total").tag("encoding", "uncompressed").register(metrics);
    }

    void onStart(@Observes StartupEvent event) {
        if (roles.jetstream()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (roles.jetstream()) {
            stop();
        }
    }

    /** Recovers the durable cursor from Kafka and connects (also used by tests to simulate a process restart). */
    public synchronized void start() {
        Optional<CursorRecovery.Recovered> recovered = CursorRecovery.recover(kafkaConfig.get("bootstrap.servers"));
        highestSeen = -1;
        epoch++;
        ResumePlan plan;
        AckedCursorTracker.Durable durable;
        if (recovered.isEmpty()) {
            long initial = config.initialCursor().orElse(-1L);
            durable = new AckedCursorTracker.Durable(initial, epoch, CursorKinds.isTime(initial) ? initial : 0);
            plan = new ResumePlan(ResumePlan.Kind.FIRST_START, initial < 0 ? null : initial, -1);
            epochSource = hosts.currentSource();
        } else {
            CursorRecovery.Recovered r = recovered.get();
            durable = new AckedCursorTracker.Durable(r.cursor(), epoch, r.maxTimeUs());
            // a cursor written for another host (or by an old version that did not say) is only trusted as a time
            epochSource = r.source() != null ? r.source() : hosts.currentSource();
            plan = resumePlan(durable, true);
        }
        LOG.infof("jetstream: recovered %s, resuming with %s", recovered.map(Object::toString).orElse("nothing"), plan);
        cursors = new AckedCursorTracker(durable);
        registerMeters();
        backoffMillis = config.reconnectMinDelay().toMillis();
        failures = 0;
        stopping = false;
        connect(plan);
    }

    /** Clean shutdown: stop reading, flush Kafka, wait for the acks so the last cursor is durable. */
    public void stop() {
        Session s;
        synchronized (this) {
            stopping = true;
            s = session;
            session = null;
        }
        if (s != null) {
            s.close();
        }
        publisher.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (cursors != null && cursors.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (cursors != null) {
            LOG.infof("jetstream: stopped; durable %s, %d events not acknowledged", cursors.durableState(), cursors.inFlight());
        }
    }

    /** The cursor a reconnect would use now (-1 = live tip). */
    public long resumeCursor() {
        return cursors == null ? -1 : cursors.durable();
    }

    /** Where the next connection resumes, given the durable state; {@code rewind} after a restart. */
    private ResumePlan resumePlan(AckedCursorTracker.Durable durable, boolean rewind) {
        long cursor = durable.cursor();
        if (cursor < 0) {
            return new ResumePlan(ResumePlan.Kind.FIRST_START, config.initialCursor().orElse(null), -1);
        }
        boolean sameSeqSpace = durable.epoch() == epoch && hosts.currentSource().equals(epochSource);
        long rewindUs = TimeUnit.MILLISECONDS.toMicros(config.rewindTime().toMillis());
        if (CursorKinds.isTime(cursor)) {
            return new ResumePlan(ResumePlan.Kind.LEGACY_TIME, cursor - rewindUs, cursor);
        }
        if (cursor == 0) {
            return new ResumePlan(ResumePlan.Kind.FIRST_START, 0L, -1);
        }
        if (!sameSeqSpace) {
            return timeFallback(durable);
        }
        long sent = rewind ? Math.max(1, cursor - config.rewindEvents()) : cursor;
        return new ResumePlan(ResumePlan.Kind.SEQ, sent, cursor);
    }

    private ResumePlan timeFallback(AckedCursorTracker.Durable durable) {
        long rewindUs = TimeUnit.MILLISECONDS.toMicros(config.rewindTime().toMillis());
        if (durable.maxTimeUs() <= 0) {
            LOG.errorf("jetstream: no time known to fall back to; replaying the server's whole window");
            return new ResumePlan(ResumePlan.Kind.TIME_FALLBACK, 0L, -1);
        }
        return new ResumePlan(ResumePlan.Kind.TIME_FALLBACK, durable.maxTimeUs() - rewindUs, -1);
    }

    private synchronized void connect(ResumePlan plan) {
        if (stopping) {
            return;
        }
        URI url = hosts.current();
        if (plan.kind() == ResumePlan.Kind.TIME_FALLBACK) {
            // a new seq space starts: seqs of the old one must neither dedupe nor anchor anything
            epoch++;
            epochSource = hosts.currentSource();
            highestSeen = -1;
        }
        Session s = new Session(url, plan, epoch, hosts.currentSource());
        session = s;
        normaliser = new JetstreamEventNormaliser(EnvelopeCodec.mapper(), url.getHost(), validator::validate);
        // The connector joins base path and path (adding a slash) and appends the base URI's query, so the path
        // goes in path() and the query in the base URI. ws(s) maps to http(s) for the upgrade request.
        URI base = URI.create(url.getScheme().replace("ws", "http") + "://" + url.getRawAuthority() + "?" + query(plan.cursor()));
        LOG.infof("jetstream: connecting to %s with %s", url, plan);
        BasicWebSocketConnector.create()
                .baseUri(base)
                .path(url.getRawPath())
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .customizeOptions((connect, client) -> {
                    client.setMaxMessageSize(config.maxMessageBytes());
                    client.setMaxFrameSize(config.maxMessageBytes());
                    // compress=true plus a permessage-deflate offer is a 400 on new servers
                    client.setTryUsePerMessageCompression(false);
                })
                .onTextMessage((c, text) -> s.onFrame(text.getBytes(StandardCharsets.UTF_8), false))
                .onBinaryMessage((c, buffer) -> s.onFrame(buffer.getBytes(), true))
                .onPong((c, data) -> s.lastFrameNanos = System.nanoTime())
                .onClose((c, reason) -> s.closed(reason == null ? "no reason" : reason.getCode() + " " + reason.getMessage()))
                .onError((c, error) -> {
                    LOG.warnf("jetstream: connection error: %s", error.toString());
                    if (c.isClosed()) {
                        s.closed("error: " + error);   // not every failure is followed by onClose
                    }
                })
                .connect()
                .subscribe().with(s::opened, error -> s.closed("connect failed: " + error));
    }

    private String query(Long cursor) {
        String collections = config.wantedCollections().stream()
                .map(c -> "wantedCollections=" + URLEncoder.encode(c, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String q = zstd == null ? collections : collections + "&compress=true";
        return cursor == null ? q : q + "&cursor=" + cursor;
    }

    /** After a session ended: reconnect with backoff, failing over to the next host after repeated failures. */
    private synchronized void sessionEnded(Session s, String why) {
        if (session != s || stopping) {
            return;
        }
        session = null;
        connectedGauge.set(0);
        if (s.shed) {
            count("coves_jetstream_reconnects_total", "cause", "backpressure");
            waitForDrainThenReconnect();
            return;
        }
        if (s.fallback != null) {
            count("coves_jetstream_reconnects_total", "cause", "cursor_reset");
            connect(s.fallback);
            return;
        }
        count("coves_jetstream_reconnects_total", "cause", s.decodeFailed ? "decode_failure" : "closed");
        if (s.newEvents > 0) {
            failures = 0;
        } else if (++failures >= config.failoverAfter() && hosts.size() > 1) {
            failures = 0;
            hosts.failOver();
            count("coves_jetstream_failovers_total", "host", hosts.currentSource());
            LOG.warnf("jetstream: failing over to %s", hosts.current());
        }
        long delay = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        backoffMillis = Math.min(backoffMillis * 2, config.reconnectMaxDelay().toMillis());
        LOG.infof("jetstream: %s; reconnecting in %d ms, durable %s", why, delay, cursors.durableState());
        vertx.setTimer(Math.max(1, delay), id -> connect(resumePlan(cursors.durableState(), false)));
    }

    private void waitForDrainThenReconnect() {
        vertx.setTimer(20, id -> {
            if (cursors.inFlight() <= config.resumeInFlight()) {
                connect(resumePlan(cursors.durableState(), false));
            } else {
                waitForDrainThenReconnect();
            }
        });
    }

    private void registerMeters() {
        if (metersRegistered) {
            return;
        }
        metersRegistered = true;
        metrics.gauge("coves_jetstream_connected", connectedGauge);
        metrics.gauge("coves_jetstream_durable_cursor", this, c -> c.cursors == null ? -1 : c.cursors.durable());
        metrics.gauge("coves_jetstream_in_flight", this, c -> c.cursors == null ? 0 : c.cursors.inFlight());
        metrics.gauge("coves_jetstream_lag_seconds", lastTimeUs,
                t -> t.get() == 0 ? 0 : (System.currentTimeMillis() * 1000 - t.get()) / 1e6);
    }

    private void count(String name, String tag, String value) {
        counters.computeIfAbsent(name + '\u0000' + tag + '\u0000' + value,
                k -> Counter.builder(name).tag(tag, value).register(metrics)).increment();
    }

    /** One WebSocket connection and what it has seen; frames of a finished session are ignored. */
    private final class Session {
        final URI url;
        final ResumePlan plan;
        final int epoch;
        final String source;
        volatile WebSocketClientConnection connection;
        volatile long lastFrameNanos = System.nanoTime();
        boolean firstChecked;
        boolean ignoring;
        boolean shed;
        boolean decodeFailed;
        ResumePlan fallback;
        long newEvents;
        long keepAliveTimer = -1;

        Session(URI url, ResumePlan plan, int epoch, String source) {
            this.url = url;
            this.plan = plan;
            this.epoch = epoch;
            this.source = source;
        }

        void opened(WebSocketClientConnection c) {
            connection = c;
            connectedGauge.set(1);
            LOG.infof("jetstream: connected to %s", url);
            lastFrameNanos = System.nanoTime();
            keepAliveTimer = vertx.setPeriodic(config.pingInterval().toMillis(), id -> keepAlive());
            if (stopping || session != this) {
                close();
            }
        }

        private void keepAlive() {
            WebSocketClientConnection c = connection;
            if (c == null || c.isClosed()) {
                return;
            }
            if (System.nanoTime() - lastFrameNanos > config.readTimeout().toNanos()) {
                LOG.warnf("jetstream: nothing received for %s; reconnecting", config.readTimeout());
                count("coves_jetstream_read_timeouts_total", "host", source);
                close();
                // a hung server does not answer the close handshake either: the session ends now, not when (or if)
                // the socket reports closed
                closed("read timeout");
                return;
            }
            c.sendPing(Buffer.buffer("coves")).subscribe().with(v -> { }, e -> { });
        }

        void close() {
            ignoring = true;
            WebSocketClientConnection c = connection;
            if (c != null && !c.isClosed()) {
                c.close().subscribe().with(v -> { }, e -> { });
            }
        }

        void closed(String why) {
            if (keepAliveTimer >= 0) {
                vertx.cancelTimer(keepAliveTimer);
            }
            ignoring = true;
            sessionEnded(this, "connection closed (" + why + ")");
        }

        void onFrame(byte[] raw, boolean binary) {
            lastFrameNanos = System.nanoTime();
            synchronized (JetstreamConsumer.this) {
                if (ignoring || session != this) {
                    return;
                }
                handle(raw, binary);
            }
        }

        private void handle(byte[] raw, boolean binary) {
            byte[] frame = raw;
            if (binary && zstd != null) {
                compressedBytes.increment(raw.length);
                try {
                    frame = zstd.decode(raw);
                } catch (ZstdFrameDecoder.DecodeException e) {
                    // cannot tell which event this was: resume from the durable cursor so it comes again
                    LOG.errorf("jetstream: undecodable frame (%d bytes): %s; reconnecting from %s", raw.length, e.getMessage(),
                            cursors.durableState());
                    count("coves_jetstream_decode_failures_total", "host", source);
                    decodeFailed = true;
                    close();
                    return;
                }
            }
            uncompressedBytes.increment(frame.length);
            JetstreamEventNormaliser.Outcome outcome = normaliser.normalise(frame, Instant.now());
            long cursor = outcome.cursor();
            if (!firstChecked && cursor > 0) {
                firstChecked = true;
                String problem = plan.problem(cursor, outcome.hasSeq());
                if (problem != null) {
                    alarm(problem, cursor);
                    if (plan.verdict(problem) == ResumePlan.Verdict.FALL_BACK_TO_TIME) {
                        fallback = timeFallback(cursors.durableState());
                        close();
                        return;
                    }
                }
            }
            if (cursor > 0 && cursor <= highestSeen) {
                duplicates.increment();
                return;   // already handed to Kafka in this seq space (rewind overlap or a re-sent frame)
            }
            if (cursor > 0) {
                highestSeen = cursor;
            }
            if (outcome instanceof JetstreamEventNormaliser.Accepted a) {
                lastTimeUs.set(a.envelope().timeUs());
            }
            newEvents++;
            backoffMillis = config.reconnectMinDelay().toMillis();
            long timeUs = outcome instanceof JetstreamEventNormaliser.Accepted a ? a.envelope().timeUs() : outcome.timeUs();
            AckedCursorTracker.Ticket ticket = cursor > 0 ? cursors.register(cursor, epoch, timeUs) : () -> { };
            boolean isRejected = outcome instanceof JetstreamEventNormaliser.Rejected;
            (isRejected ? rejected : accepted).increment();
            if (outcome instanceof JetstreamEventNormaliser.Rejected r) {
                count("coves_ingest_rejects_total", "reason", r.category());
            }
            Span span = tracing.startEvent(cursor, isRejected ? "rejected" : "accepted",
                    outcome instanceof JetstreamEventNormaliser.Accepted acc && acc.envelope().commit() != null ? acc.envelope().commit().collection() : null);
            long sentAt = System.nanoTime();
            publisher.publish(outcome, frame, cursors.durableState(), source, Context.root().with(span)).whenComplete((ok, error) -> {
                IngestTracing.end(span, error);
                if (error == null) {
                    produceLatency.record(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS);
                    ticket.ack();
                } else {
                    // The event is not durable: drop the connection so we resume from the last durable cursor.
                    LOG.errorf("jetstream: kafka write failed, reconnecting from %s: %s", cursors.durableState(), error.toString());
                    count("coves_ingest_frames_total", "outcome", "kafka_error");
                    close();
                }
            });
            if (cursors.inFlight() >= config.maxInFlight()) {
                LOG.debugf("jetstream: %d events in flight; pausing the stream", cursors.inFlight());
                shed = true;
                close();
            }
        }

        private void alarm(String reason, long first) {
            count("coves_jetstream_cursor_reset_total", "reason", reason);
            LOG.errorf("jetstream: CURSOR ALARM %s on %s: resumed with %s but the first event has cursor %d; %s", reason, url, plan,
                    first, plan.verdict(reason) == ResumePlan.Verdict.FALL_BACK_TO_TIME
                            ? "falling back to a time cursor (max time_us seen minus " + config.rewindTime() + ")"
                            : "events between the anchor and this one may be missing");
        }
    }
}
