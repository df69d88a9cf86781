package social.coves.api.logging;

import io.opentelemetry.api.trace.Span;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every HTTP request an id: the caller's {@code X-Request-Id} when it is a sane token (a proxy's or a client's),
 * a new UUID otherwise. The id is echoed in the response, put in the log MDC as {@code requestId} (next to the
 * {@code traceId}/{@code spanId} OpenTelemetry adds) and set on the server span as {@code http.request.id}.
 */
@ApplicationScoped
public class RequestIdFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void register(@Observes Filters filters) {
        filters.register(this::handle, 1000);
    }

    private void handle(RoutingContext rc) {
        String id = requestId(rc.request().getHeader(HEADER));
        rc.response().putHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        Span.current().setAttribute("http.request.id", id);
        rc.next();
    }

    /** The incoming id if it is safe to log and echo, else a fresh one. */
    static String requestId(String incoming) {
        return incoming != null && SANE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }
}
