package social.coves.ingestor.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Set;
import java.util.TreeSet;

/**
 * The ingest path's spans: one per Jetstream event (jetstream role), one per Kafka write with its context in the
 * record's headers, and one per indexer batch transaction. A batch has many parents, so its span is a root that
 * <em>links</em> to the producer context of each record (at most {@link #MAX_LINKS}; the rest are counted).
 * Spans are cheap when the sampler drops them: nothing is recorded, only the headers are written.
 */
@ApplicationScoped
public class IngestTracing {

    /** The SDK's default span link limit; more links would be dropped silently. */
    public static final int MAX_LINKS = 128;

    static final AttributeKey<Long> CURSOR = AttributeKey.longKey("coves.jetstream.cursor");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("coves.ingest.outcome");
    static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("coves.collection");
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    static final AttributeKey<Long> UNLINKED = AttributeKey.longKey("coves.batch.unlinked_records");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public IngestTracing(OpenTelemetry otel) {
        this.tracer = otel.getTracer("social.coves.ingestor");
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    /** A span for one Jetstream event, from normalisation until Kafka acknowledged it. */
    public Span startEvent(long cursor, String outcome, String collection) {
        SpanBuilder b = tracer.spanBuilder("jetstream event").setSpanKind(SpanKind.CONSUMER).setNoParent()
                .setAttribute(SYSTEM, "jetstream").setAttribute(CURSOR, cursor).setAttribute(OUTCOME, outcome);
        if (collection != null) {
            b.setAttribute(COLLECTION, collection);
        }
        return b.startSpan();
    }

    /** A producer span under {@code parent}; its context goes into the record's headers. */
    public Span startPublish(Context parent, ProducerRecord<?, ?> record) {
        Span span = tracer.spanBuilder(record.topic() + " publish").setSpanKind(SpanKind.PRODUCER).setParent(parent)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, record.topic()).startSpan();
        KafkaTraceHeaders.inject(propagator, parent.with(span), record.headers());
        return span;
    }

    /** The span of one indexer batch transaction, linked to the records' producer spans. */
    public Span startBatch(String groupId, ConsumerRecords<?, ?> records) {
        Set<String> topics = new TreeSet<>();
        records.partitions().forEach(tp -> topics.add(tp.topic()));
        SpanBuilder b = tracer.spanBuilder("indexer batch " + String.join(",", topics)).setSpanKind(SpanKind.CONSUMER)
                .setNoParent().setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, String.join(",", topics))
                .setAttribute(GROUP, groupId).setAttribute(BATCH_COUNT, (long) records.count());
        int links = 0;
        long unlinked = 0;
        for (ConsumerRecord<?, ?> record : records) {
            SpanContext producer = Span.fromContext(KafkaTraceHeaders.extract(propagator, record.headers())).getSpanContext();
            if (producer.isValid() && links < MAX_LINKS) {
                b.addLink(producer);
                links++;
            } else {
                unlinked++;
            }
        }
        return b.setAttribute(UNLINKED, unlinked).startSpan();
    }

    public static void end(Span span, Throwable error) {
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
