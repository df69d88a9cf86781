package social.coves.api.ratelimit;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import social.coves.api.xrpc.XrpcError;

import java.util.Map;
import java.util.Optional;

/**
 * Per-client rate limits on {@code /xrpc/*}: {@code coves.api.rate-limit.per-minute} for every method, and in
 * addition {@code coves.api.rate-limit.get-comments-per-minute} for {@code getComments} (threads are the most
 * expensive read). Over a limit: 429 {@code RateLimitExceeded} with {@code Retry-After}; every limited response
 * carries {@code RateLimit-Limit}, {@code RateLimit-Remaining}, {@code RateLimit-Reset} and {@code RateLimit-Policy}
 * of the tightest limit that applies.
 */
@ApplicationScoped
public class RateLimitFilter {

    static final String GET_COMMENTS = "/xrpc/social.coves.community.comment.getComments";
    private static final String DECISION = RateLimitFilter.class.getName() + ".decision";

    private final RateLimiter general;
    private final RateLimiter comments;
    private final ClientAddresses clients;

    public RateLimitFilter(@ConfigProperty(name = "coves.api.rate-limit.per-minute", defaultValue = "100") int perMinute,
                           @ConfigProperty(name = "coves.api.rate-limit.get-comments-per-minute", defaultValue = "20") int commentsPerMinute,
                           ClientAddresses clients) {
        this.general = new RateLimiter(perMinute);
        this.comments = new RateLimiter(commentsPerMinute);
        this.clients = clients;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> limit(ContainerRequestContext context, HttpServerRequest request) {
        String path = context.getUriInfo().getPath();
        if (!path.startsWith("/xrpc/")) {
            return Optional.empty();
        }
        String client = clients.of(request);
        long now = System.nanoTime();
        RateLimiter.Decision decision = general.tryAcquire(client, now);
        if (decision.admitted() && path.equals(GET_COMMENTS)) {
            RateLimiter.Decision threads = comments.tryAcquire(client, now);
            decision = threads.admitted() && threads.remaining() >= decision.remaining() ? decision : threads;
        }
        context.setProperty(DECISION, decision);
        if (decision.admitted()) {
            return Optional.empty();
        }
        Response.ResponseBuilder refused = Response.status(429).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", decision.retryAfterSeconds())
                .entity(new XrpcError("RateLimitExceeded", "rate limit of " + decision.limit()
                        + " requests per minute exceeded; retry after " + decision.retryAfterSeconds() + " s"));
        headers(decision).forEach(refused::header);
        return Optional.of(refused.build());
    }

    @ServerResponseFilter
    public void addHeaders(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof RateLimiter.Decision decision && decision.admitted()) {
            headers(decision).forEach((name, value) -> response.getHeaders().putSingle(name, value));
        }
    }

    private static Map<String, Object> headers(RateLimiter.Decision d) {
        return Map.of("RateLimit-Limit", d.limit(), "RateLimit-Remaining", d.remaining(),
                "RateLimit-Reset", d.resetSeconds(), "RateLimit-Policy", d.limit() + ";w=60");
    }
}
