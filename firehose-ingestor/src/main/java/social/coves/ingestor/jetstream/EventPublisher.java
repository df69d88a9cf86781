package social.coves.ingestor.jetstream;

import io.smallrye.common.annotation.Identifier;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import social.coves.ingestor.tracing.IngestTracing;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Writes normalised events and rejects to Kafka with an idempotent, acks=all producer. Every record carries the
 * Jetstream cursor in a header, which is how the jetstream role finds its resume point after a restart, and the W3C
 * trace context of its producer span (a plain KafkaProducer is not instrumented by Quarkus, so we inject it).
 */
@ApplicationScoped
public class EventPublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final IngestTracing tracing;

    @Inject
    public EventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, IngestTracing tracing) {
        this.tracing = tracing;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Bigger, fuller batches: each new batch wakes the sender thread (a syscall on the reading thread) and costs the
        // broker a request. 20 ms is far below the read deadline and keeps the in-flight count small at any rate.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "coves-jetstream-ingestor");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    public CompletableFuture<Void> publish(JetstreamEventNormaliser.Outcome outcome, byte[] frame) {
        return publish(outcome, frame, null, null, Context.root());
    }

    /**
     * @param acked  the acknowledged prefix at send time, written as {@link CursorHeaders} (null = omit)
     * @param source {@code host:port} of the Jetstream server the cursors belong to
     * @param trace  the context the producer span is a child of (the event's span)
     */
    public CompletableFuture<Void> publish(JetstreamEventNormaliser.Outcome outcome, byte[] frame,
                                           AckedCursorTracker.Durable acked, String source, Context trace) {
        ProducerRecord<String, byte[]> record = switch (outcome) {
            case JetstreamEventNormaliser.Accepted a ->
                    new ProducerRecord<>(a.topic(), a.envelope().did(), EnvelopeCodec.encode(a.envelope()));
            case JetstreamEventNormaliser.Rejected r -> {
                var rejected = new ProducerRecord<>(Topics.INGEST_REJECTS, r.key(), frame);
                rejected.headers().add(Topics.HEADER_REJECT_REASON, r.reason().getBytes(StandardCharsets.UTF_8));
                yield rejected;
            }
        };
        record.headers().add(Topics.HEADER_CURSOR, Long.toString(outcome.cursor()).getBytes(StandardCharsets.UTF_8));
        if (acked != null) {
            record.headers().add(CursorHeaders.ACKED_CURSOR, Long.toString(acked.cursor()).getBytes(StandardCharsets.UTF_8));
            record.headers().add(CursorHeaders.ACKED_TIME_US, Long.toString(acked.maxTimeUs()).getBytes(StandardCharsets.UTF_8));
        }
        if (source != null) {
            record.headers().add(CursorHeaders.SOURCE, source.getBytes(StandardCharsets.UTF_8));
        }
        Span span = tracing.startPublish(trace, record);
        CompletableFuture<Void> done = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            IngestTracing.end(span, error);
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    public void flush() {
        producer.flush();
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(20));
    }
}
