package social.coves.api.xrpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import social.coves.api.metrics.CacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Identical reads that are in flight at the same time share one query and one serialised JSON body: a popular
 * community's feed asked for by a thousand logged-out readers at once costs the database one query, not a thousand.
 * The first request loads; the others that arrive before it finishes wait for its answer (and get its error, if it
 * fails). Nothing is kept after the load finishes unless {@code coves.api.shared-reads.ttl} is set, so by default an
 * answer is never older than the request it joined — a few milliseconds at most.
 *
 * <p>The key is the method, the viewer and the raw parameters. An answer with viewer state ({@code viewer.vote},
 * {@code viewer.subscribed}) is shared only among requests authenticated as that same viewer ({@link #jsonFor}), and
 * only while in flight, whatever the ttl: a viewer who reloads after voting must see their vote.
 *
 * <p>Config: {@code coves.api.shared-reads.enabled} (default true); {@code coves.api.shared-reads.ttl} (default 0:
 * share only while in flight; e.g. {@code PT1S} also serves finished answers for a second, a micro-cache for a
 * thundering herd); {@code coves.api.shared-reads.max-bytes} (room for finished answers when ttl &gt; 0, default 32 MiB of JSON).
 * Metric: {@code coves_api_shared_reads_total{method, result=loaded|joined|recent}}.
 */
@ApplicationScoped
public class SharedReads {

    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final boolean enabled;
    private final ConcurrentHashMap<List<Object>, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();
    /** Finished answers, when a ttl is set; null otherwise. */
    private final Cache<List<Object>, byte[]> recent;

    @Inject
    public SharedReads(ObjectMapper json, MeterRegistry metrics,
                       @ConfigProperty(name = "coves.api.shared-reads.enabled", defaultValue = "true") boolean enabled,
                       @ConfigProperty(name = "coves.api.shared-reads.ttl", defaultValue = "PT0S") Duration ttl,
                       @ConfigProperty(name = "coves.api.shared-reads.max-bytes", defaultValue = "33554432") long maxBytes) {
        this.json = json;
        this.metrics = metrics;
        this.enabled = enabled;
        this.recent = CacheMetrics.monitor(metrics, "shared_reads_answers", enabled && ttl.isPositive() && maxBytes > 0
                ? Caffeine.newBuilder().recordStats().maximumWeight(maxBytes).<List<Object>, byte[]>weigher((key, body) -> body.length)
                        .expireAfterWrite(ttl).build()
                : null);
    }

    /**
     * The 200 JSON response of an anonymous read, shared with identical reads in flight ({@code method} and
     * {@code params} are the key; nulls allowed). A failure fails every request that joined it, and is not remembered.
     */
    public <T> Uni<Response> json(String method, Supplier<Uni<T>> load, Object... params) {
        return jsonFor(null, method, load, params);
    }

    /** As {@link #json}, for a read made by {@code viewerDid} (verified; null = anonymous): shared only with that viewer's. */
    public <T> Uni<Response> jsonFor(String viewerDid, String method, Supplier<Uni<T>> load, Object... params) {
        if (!enabled) {
            return Uni.createFrom().<T>deferred(load::get).map(page -> ok(serialise(page)));
        }
        return Uni.createFrom().deferred(() -> shareOrLoad(method, load, key(method, viewerDid, params), viewerDid == null));
    }

    private <T> Uni<Response> shareOrLoad(String method, Supplier<Uni<T>> load, List<Object> key, boolean keep) {
        Cache<List<Object>, byte[]> recent = keep ? this.recent : null;
        if (recent != null) {
            byte[] body = recent.getIfPresent(key);
            if (body != null) {
                count(method, "recent");
                return Uni.createFrom().item(ok(body));
            }
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> shared = inFlight.putIfAbsent(key, mine);
        if (shared != null) {
            count(method, "joined");
            return answer(shared);
        }
        count(method, "loaded");
        // subscribed on its own: a first client that hangs up does not cancel the answer the others wait for;
        // deferred: a load that throws instead of failing its Uni still completes (and frees) the shared answer
        Uni.createFrom().<T>deferred(load::get).map(this::serialise).subscribe().with(body -> {
            if (recent != null) {
                recent.put(key, body);
            }
            inFlight.remove(key, mine);
            mine.complete(body);
        }, failure -> {
            inFlight.remove(key, mine);
            mine.completeExceptionally(failure);
        });
        return answer(mine);
    }

    private static Uni<Response> answer(CompletableFuture<byte[]> shared) {
        return CallerContext.await(shared).map(SharedReads::ok);
    }

    private byte[] serialise(Object page) {
        try {
            return json.writeValueAsBytes(page);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + page.getClass().getSimpleName(), e);
        }
    }

    private static Response ok(byte[] body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static List<Object> key(String method, String viewerDid, Object[] params) {
        Object[] key = new Object[params.length + 2];
        key[0] = method;
        key[1] = viewerDid;
        System.arraycopy(params, 0, key, 2, params.length);
        return Arrays.asList(key);
    }

    private void count(String method, String result) {
        metrics.counter("coves_api_shared_reads", "method", method, "result", result).increment();
    }
}
