package social.coves.api.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import social.coves.api.xrpc.XrpcError;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads ({@code GET /xrpc/*}) are served first come, first served: at most {@code coves.api.admission.max-running}
 * run at once, the others wait in arrival order and start as running ones finish; beyond
 * {@code max-waiting} waiting, a read is refused with 503 {@code ServiceUnavailable} and {@code Retry-After: 1}.
 * <p>
 * Why: a reactive server starts every request it receives, so under load a few hundred reads share two cores and
 * the database's connections, and a read that needs several statements (a thread, a timeline, a deep page) is slowed
 * by every read that arrived after it — the slowest 1 % then take many times the average. Started in arrival order,
 * every read waits about as long as the others and then runs on a machine that is not shared a hundred ways. Procedures
 * (writes), health and metrics are not queued.
 */
@ApplicationScoped
public class ReadAdmission {

    private static final String REFUSED_BODY = Json.encode(new XrpcError("ServiceUnavailable",
            "too many reads are waiting on this replica; retry in a second"));

    private final boolean enabled;
    private final ArrivalOrderQueue queue;
    private final Timer waited;
    private final Counter refused;

    ReadAdmission(AdmissionConfig config, MeterRegistry meters) {
        this.enabled = config.enabled();
        this.queue = new ArrivalOrderQueue(config.maxRunning(), config.maxWaiting());
        this.waited = Timer.builder("coves_api_reads_wait").description("time a read waited for its turn")
                .register(meters);
        this.refused = Counter.builder("coves_api_reads_refused_total")
                .description("reads refused because max-waiting were already waiting").register(meters);
        Gauge.builder("coves_api_reads_running", queue, ArrivalOrderQueue::running).register(meters);
        Gauge.builder("coves_api_reads_waiting", queue, ArrivalOrderQueue::waiting).register(meters);
    }

    void register(@Observes Filters filters) {
        if (enabled) {
            filters.register(this::handle, 900); // after the request id (1000), so a refusal carries one
        }
    }

    private void handle(RoutingContext rc) {
        if (rc.request().method() != HttpMethod.GET || !rc.normalizedPath().startsWith("/xrpc/")) {
            rc.next();
            return;
        }
        long arrived = System.nanoTime();
        Context context = Vertx.currentContext();
        ArrivalOrderQueue.Offer offer = queue.offer(() -> onOwnContext(context, () -> start(rc, arrived)));
        if (offer == ArrivalOrderQueue.Offer.REFUSED) {
            refused.increment();
            rc.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                    .putHeader("Retry-After", "1").end(REFUSED_BODY);
        }
    }

    /** Runs on the thread that admits the read (maybe another read's): the read goes on on its own context. */
    private static void onOwnContext(Context context, Runnable step) {
        if (context == Vertx.currentContext()) {
            step.run();
        } else {
            context.runOnContext(v -> step.run());
        }
    }

    private void start(RoutingContext rc, long arrived) {
        waited.record(System.nanoTime() - arrived, TimeUnit.NANOSECONDS);
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                queue.finished();
            }
        };
        rc.addEndHandler(ended -> finish.run());
        if (rc.response().closed()) { // the client left while it waited
            finish.run();
            return;
        }
        rc.next();
    }
}
