package social.coves.identity.xrpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import social.coves.identity.resolution.IdentityService;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code com.atproto.identity.*} as the lexicons define them; unknown methods answer 501 MethodNotImplemented.
 *
 * <p>The three queries run on the event loop: when every cache entry the answer needs is already in this pod they
 * answer at once (no worker hand-off); otherwise the same look-up, which may wait for Postgres or the network, moves
 * to the worker pool.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
public class IdentityXrpc {

    private final IdentityService identities;

    public IdentityXrpc(IdentityService identities) {
        this.identities = identities;
    }

    @GET
    @NonBlocking
    @Path("com.atproto.identity.resolveHandle")
    public Uni<byte[]> resolveHandle(@QueryParam("handle") String handle) {
        return answer(() -> identities.resolveHandleIfCached(handle).map(IdentityViews::handle),
                () -> IdentityViews.handle(identities.resolveHandle(handle)));
    }

    @GET
    @NonBlocking
    @Path("com.atproto.identity.resolveDid")
    public Uni<byte[]> resolveDid(@QueryParam("did") String did) {
        return answer(() -> identities.resolveDidIfCached(did).map(IdentityViews::didDoc),
                () -> IdentityViews.didDoc(identities.resolveDid(did)));
    }

    @GET
    @NonBlocking
    @Path("com.atproto.identity.resolveIdentity")
    public Uni<byte[]> resolveIdentity(@QueryParam("identifier") String identifier) {
        return answer(() -> identities.resolveIdentityIfCached(identifier).map(IdentityViews::identity),
                () -> IdentityViews.identity(identities.resolveIdentity(identifier)));
    }

    @POST
    @Path("com.atproto.identity.refreshIdentity")
    @Consumes(MediaType.APPLICATION_JSON)
    public byte[] refreshIdentity(JsonNode body) {
        String identifier = body == null ? null : body.path("identifier").asText(null);
        return IdentityViews.identity(identities.refreshIdentity(identifier));
    }

    @GET
    @Path("{nsid}")
    public Response unknownQuery(@PathParam("nsid") String nsid) {
        return XrpcErrors.body(501, "MethodNotImplemented", "method not implemented: " + nsid);
    }

    @POST
    @Path("{nsid}")
    public Response unknownProcedure(@PathParam("nsid") String nsid) {
        return XrpcErrors.body(501, "MethodNotImplemented", "method not implemented: " + nsid);
    }

    /** The cached answer right away, or {@code load} on a worker thread. Errors reach {@link XrpcErrors} either way. */
    private static Uni<byte[]> answer(Supplier<Optional<byte[]>> cached, Supplier<byte[]> load) {
        Optional<byte[]> hit = cached.get();
        if (hit.isPresent()) {
            return Uni.createFrom().item(hit.get());
        }
        return Uni.createFrom().item(load).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
