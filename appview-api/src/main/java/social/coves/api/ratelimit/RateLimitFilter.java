package social.coves.api.ratelimit;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import social.coves.api.xrpc.XrpcError;

import java.util.Optional;

/**
 * Per-client rate limit on {@code /xrpc/*}: {@code coves.api.rate-limit.per-minute} requests per minute per client
 * address (the first {@code X-Forwarded-For} hop when {@code coves.api.rate-limit.trust-forwarded-for}, for use
 * behind a proxy). Over the limit: 429 {@code RateLimitExceeded} with {@code Retry-After}.
 */
@ApplicationScoped
public class RateLimitFilter {

    private final RateLimiter limiter;
    private final boolean trustForwardedFor;

    public RateLimitFilter(@ConfigProperty(name = "coves.api.rate-limit.per-minute", defaultValue = "600") int perMinute,
                           @ConfigProperty(name = "coves.api.rate-limit.trust-forwarded-for", defaultValue = "false") boolean trustForwardedFor) {
        this.limiter = new RateLimiter(perMinute);
        this.trustForwardedFor = trustForwardedFor;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> limit(ContainerRequestContext context, HttpServerRequest request) {
        if (!context.getUriInfo().getPath().startsWith("/xrpc/") || limiter.tryAcquire(clientKey(request), System.nanoTime())) {
            return Optional.empty();
        }
        return Optional.of(Response.status(429).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", limiter.secondsUntilNextToken())
                .entity(new XrpcError("RateLimitExceeded", "too many requests; slow down")).build());
    }

    private String clientKey(HttpServerRequest request) {
        if (trustForwardedFor) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.split(",")[0].trim();
            }
        }
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
