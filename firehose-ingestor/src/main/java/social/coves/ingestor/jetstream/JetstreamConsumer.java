package social.coves.ingestor.jetstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import social.coves.ingestor.IngestorRoles;
import social.coves.lexicon.envelope.EnvelopeCodec;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The jetstream role: one WebSocket subscription to Jetstream v1, every frame normalised and written to Kafka,
 * reconnecting with exponential backoff and jitter from the newest cursor that Kafka has acknowledged.
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
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong lastTimeUs = new AtomicLong();

    private JetstreamEventNormaliser normaliser;
    private AckedCursorTracker cursors;
    private volatile WebSocketClientConnection connection;
    private volatile boolean stopping;
    private long highestSeen = -1;
    private long backoffMillis;

    @Inject
    public JetstreamConsumer(JetstreamConfig config, IngestorRoles roles, EventPublisher publisher, Vertx vertx,
                             @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry metrics,
                             JetstreamRecordValidator validator) {
        this.config = config;
        this.roles = roles;
        this.publisher = publisher;
        this.vertx = vertx;
        this.kafkaConfig = kafkaConfig;
        this.metrics = metrics;
        this.normaliser = new JetstreamEventNormaliser(EnvelopeCodec.mapper(), URI.create(config.url()).getHost(), validator::validate);
    }

    void onStart(@Observes StartupEvent event) {
        if (!roles.jetstream()) {
            return;
        }
        OptionalLong durable = CursorRecovery.lastDurableCursor(kafkaConfig.get("bootstrap.servers"));
        long resume = durable.isPresent() ? rewind(durable.getAsLong()) : config.initialCursor().orElse(-1L);
        LOG.infof("jetstream: last durable cursor %s, resuming from %s", durable.isPresent() ? durable.getAsLong() : "none",
                resume < 0 ? "the live tip" : resume);
        cursors = new AckedCursorTracker(resume);
        metrics.gauge("coves_jetstream_connected", connected);
        metrics.gauge("coves_jetstream_durable_cursor", this, c -> c.cursors.durable());
        metrics.gauge("coves_jetstream_lag_seconds", lastTimeUs,
                t -> t.get() == 0 ? 0 : (System.currentTimeMillis() * 1000 - t.get()) / 1e6);
        backoffMillis = config.reconnectMinDelay().toMillis();
        connect();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        WebSocketClientConnection c = connection;
        if (c != null) {
            c.closeAndAwait();
        }
        if (roles.jetstream()) {
            publisher.flush();
            LOG.infof("jetstream: stopped; durable cursor %d", cursors.durable());
        }
    }

    /** The cursor a reconnect would use now (-1 = live tip). */
    public long resumeCursor() {
        return cursors == null ? -1 : cursors.durable();
    }

    private long rewind(long cursor) {
        if (cursor >= 1_000_000_000_000_000L) {
            return cursor - TimeUnit.MILLISECONDS.toMicros(config.rewindTime().toMillis());
        }
        return Math.max(1, cursor - config.rewindEvents());
    }

    private void connect() {
        if (stopping) {
            return;
        }
        URI url = URI.create(config.url());
        // The connector joins base path and path (adding a slash) and appends the base URI's query, so the path
        // goes in path() and the query in the base URI. ws(s) maps to http(s) for the upgrade request.
        URI base = URI.create(url.getScheme().replace("ws", "http") + "://" + url.getRawAuthority() + "?" + query(cursors.durable()));
        LOG.infof("jetstream: connecting to %s%s", url, base.getRawQuery().contains("cursor=") ? " from cursor " + cursors.durable() : " at the live tip");
        BasicWebSocketConnector.create()
                .baseUri(base)
                .path(url.getRawPath())
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .customizeOptions((connect, client) -> {
                    client.setMaxMessageSize(config.maxMessageBytes());
                    client.setMaxFrameSize(config.maxMessageBytes());
                    client.setTryUsePerMessageCompression(false);
                })
                .onTextMessage((c, text) -> onFrame(text.getBytes(StandardCharsets.UTF_8)))
                .onBinaryMessage((c, buffer) -> onFrame(buffer.getBytes()))
                .onClose((c, reason) -> {
                    connected.set(0);
                    LOG.warnf("jetstream: connection closed (%s)", reason == null ? "no reason" : reason.getCode() + " " + reason.getMessage());
                    scheduleReconnect();
                })
                .onError((c, error) -> LOG.warnf("jetstream: connection error: %s", error.toString()))
                .connect()
                .subscribe().with(c -> {
                    connection = c;
                    connected.set(1);
                    LOG.info("jetstream: connected");
                }, error -> {
                    LOG.warnf("jetstream: connect failed: %s", error.toString());
                    scheduleReconnect();
                });
    }

    private String query(long cursor) {
        String collections = config.wantedCollections().stream()
                .map(c -> "wantedCollections=" + URLEncoder.encode(c, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return cursor < 0 ? collections : collections + "&cursor=" + cursor;
    }

    private void scheduleReconnect() {
        connection = null;
        if (stopping) {
            return;
        }
        long delay = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        backoffMillis = Math.min(backoffMillis * 2, config.reconnectMaxDelay().toMillis());
        LOG.infof("jetstream: reconnecting in %d ms from cursor %d", delay, cursors.durable());
        vertx.setTimer(Math.max(1, delay), id -> connect());
    }

    private void onFrame(byte[] frame) {
        JetstreamEventNormaliser.Outcome outcome = normaliser.normalise(frame, Instant.now());
        long cursor = outcome.cursor();
        if (cursor > 0 && cursor <= highestSeen) {
            count("duplicate");
            return;   // already handed to Kafka in this process (rewind overlap)
        }
        if (cursor > 0) {
            highestSeen = cursor;
            if (outcome instanceof JetstreamEventNormaliser.Accepted a) {
                lastTimeUs.set(a.envelope().timeUs());
            }
        }
        backoffMillis = config.reconnectMinDelay().toMillis();
        AckedCursorTracker.Ticket ticket = cursor > 0 ? cursors.register(cursor) : () -> { };
        count(outcome instanceof JetstreamEventNormaliser.Rejected ? "rejected" : "accepted");
        publisher.publish(outcome, frame).whenComplete((ok, error) -> {
            if (error == null) {
                ticket.ack();
            } else {
                // The event is not durable: drop the connection so we resume from the last durable cursor.
                LOG.errorf("jetstream: kafka write failed, reconnecting from cursor %d: %s", cursors.durable(), error.toString());
                count("kafka_error");
                WebSocketClientConnection c = connection;
                if (c != null) {
                    c.close().subscribe().with(v -> { }, e -> { });
                }
            }
        });
    }

    private void count(String outcome) {
        Counter.builder("coves_ingest_frames_total").tag("outcome", outcome).register(metrics).increment();
    }

}
