package social.coves.api.aggregators;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import social.coves.api.posts.PostRows;
import social.coves.api.ratelimit.ClientAddresses;
import social.coves.api.ratelimit.RateLimiter;
import social.coves.api.writes.BodyFields;
import social.coves.api.writes.WriteRequests;

import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

/**
 * An aggregator's own account with this instance: {@code social.coves.aggregator.register} (no credentials; its own
 * tight limit per client address) and its API key — {@code createApiKey}, {@code getApiKey}, {@code revokeApiKey}, each
 * called by the registered aggregator itself with a service-auth token (never with the key it manages).
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class AggregatorAccountResource {

    static final String REGISTER = "social.coves.aggregator.register";
    static final String CREATE_KEY = "social.coves.aggregator.createApiKey";
    static final String GET_KEY = "social.coves.aggregator.getApiKey";
    static final String REVOKE_KEY = "social.coves.aggregator.revokeApiKey";
    private static final long SMALL_BODY = 4 * 1024;

    /** {@code getApiKey}'s output; {@code keyInfo} is {@code defs#apiKeyView}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyStatus(boolean hasKey, KeyView keyInfo) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(String prefix, String createdAt, String lastUsedAt, boolean isRevoked, String revokedAt) {
    }

    private final WriteRequests requests;
    private final AggregatorRegistration registration;
    private final AggregatorKeys keys;
    private final ClientAddresses clients;
    private final RateLimiter registrations;

    public AggregatorAccountResource(WriteRequests requests, AggregatorRegistration registration, AggregatorKeys keys,
                                     ClientAddresses clients, AggregatorConfig config) {
        this.requests = requests;
        this.registration = registration;
        this.keys = keys;
        this.clients = clients;
        this.registrations = new RateLimiter(config.registerPerTenMinutes(), Duration.ofMinutes(10));
    }

    @POST
    @Path(REGISTER)
    @Blocking
    public AggregatorRegistration.Registered register(@Context HttpServerRequest request,
                                                      @HeaderParam("Content-Length") String length, InputStream body) {
        WriteRequests.admit(registrations, clients.of(request), "register");
        JsonNode in = requests.body(REGISTER, length, body, SMALL_BODY);
        return registration.register(BodyFields.requiredString(in, "did"), BodyFields.requiredString(in, "domain"));
    }

    @POST
    @Path(CREATE_KEY)
    @Blocking
    public Response createApiKey(@HeaderParam("Authorization") String authorization,
                                 @HeaderParam("Content-Length") String length, InputStream body) {
        String caller = requests.caller(CREATE_KEY, WriteRequests.Credentials.SERVICE_AUTH, authorization).did();
        requests.optionalBody(CREATE_KEY, length, body, SMALL_BODY);
        return Response.ok(keys.create(caller)).header("Cache-Control", "no-store").build();   // shown once: never cached
    }

    @GET
    @Path(GET_KEY)
    @Blocking
    public KeyStatus getApiKey(@HeaderParam("Authorization") String authorization) {
        String caller = requests.caller(GET_KEY, WriteRequests.Credentials.SERVICE_AUTH, authorization).did();
        return keys.describe(caller).map(k -> new KeyStatus(true, new KeyView(k.prefix(), PostRows.timestamp(k.createdAt()),
                PostRows.timestamp(k.lastUsedAt()), k.revokedAt() != null, PostRows.timestamp(k.revokedAt())))).orElse(new KeyStatus(false, null));
    }

    @POST
    @Path(REVOKE_KEY)
    @Blocking
    public Map<String, String> revokeApiKey(@HeaderParam("Authorization") String authorization,
                                            @HeaderParam("Content-Length") String length, InputStream body) {
        String caller = requests.caller(REVOKE_KEY, WriteRequests.Credentials.SERVICE_AUTH, authorization).did();
        requests.optionalBody(REVOKE_KEY, length, body, SMALL_BODY);
        return Map.of("revokedAt", PostRows.timestamp(keys.revoke(caller)));
    }
}
