package social.coves.ingestor.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) in Kafka record headers, through whatever propagator the
 * OpenTelemetry SDK is configured with ({@code quarkus.otel.propagators}, default tracecontext + baggage).
 */
public final class KafkaTraceHeaders {

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header h : headers) {
                keys.add(h.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header h = headers == null ? null : headers.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private KafkaTraceHeaders() {
    }

    public static void inject(TextMapPropagator propagator, Context context, Headers headers) {
        propagator.inject(context, headers, SETTER);
    }

    /** The producer's context carried by a record (an invalid span context when it carries none). */
    public static Context extract(TextMapPropagator propagator, Headers headers) {
        return propagator.extract(Context.root(), headers, GETTER);
    }
}
