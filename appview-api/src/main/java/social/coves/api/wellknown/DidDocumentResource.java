package social.coves.api.wellknown;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;

/**
 * The AppView's own did:web document, so PDSes can proxy to it ({@code atproto-proxy: <did>#<service-id>}): one
 * service entry pointing at {@code coves.appview.public-url}. No signing key is needed to receive service auth.
 */
@Path("/.well-known/did.json")
public class DidDocumentResource {

    private final Map<String, Object> document;
    private final boolean isWeb;

    public DidDocumentResource(@ConfigProperty(name = "coves.appview.did") String did,
                               @ConfigProperty(name = "coves.appview.service-id") String serviceId,
                               @ConfigProperty(name = "coves.appview.public-url") String publicUrl) {
        this.isWeb = did.startsWith("did:web:");
        this.document = Map.of(
                "@context", List.of("https://www.w3.org/ns/did/v1"),
                "id", did,
                "service", List.of(Map.of("id", "#" + serviceId, "type", "CovesAppView", "serviceEndpoint", publicUrl)));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        if (!isWeb) {
            return Response.status(404).build();
        }
        return Response.ok(document).build();
    }
}
