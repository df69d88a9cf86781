package social.coves.api.images;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import social.coves.api.auth.IdentityServiceClient;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.syntax.Cid;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.InvalidSyntaxException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /img/{preset}/plain/{did}/{cid}}: the default target of {@link ImageUrls}. Without an image proxy in
 * front, it answers with a redirect to the blob on the owner's PDS ({@code com.atproto.sync.getBlob}), found through
 * identity-service; the AppView itself never fetches blobs.
 */
@Path("/img/{preset}/plain/{did}/{cid}")
public class ImageResource {

    private final IdentityServiceClient identity;

    public ImageResource(@RestClient IdentityServiceClient identity) {
        this.identity = identity;
    }

    @GET
    public Uni<Response> image(@PathParam("preset") String preset, @PathParam("did") String did, @PathParam("cid") String cid) {
        if (ImagePreset.fromUrlName(preset).isEmpty()) {
            throw XrpcException.invalidRequest("unknown image preset: " + preset);
        }
        try {
            Did.parse(did);
            Cid.parse(cid);
        } catch (InvalidSyntaxException e) {
            throw XrpcException.invalidRequest(e.getMessage());
        }
        return identity.resolveDid(did)
                .onFailure().transform(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() < 500
                        ? XrpcException.notFound("BlobOwnerNotFound", did + " does not resolve to an active identity")
                        : new XrpcException(502, "UpstreamFailure", "could not resolve " + did + " to its PDS"))
                .map(identityView -> redirect(identityView, did, cid));
    }

    private static Response redirect(JsonNode identityView, String did, String cid) {
        String pds = identityView.path("pds").asText("");
        if (!pds.startsWith("https://") && !pds.startsWith("http://")) {
            throw new XrpcException(502, "UpstreamFailure", did + " names no PDS endpoint");
        }
        String target = pds.replaceAll("/+$", "") + "/xrpc/com.atproto.sync.getBlob?did="
                + URLEncoder.encode(did, StandardCharsets.UTF_8) + "&cid=" + URLEncoder.encode(cid, StandardCharsets.UTF_8);
        return Response.status(302).location(URI.create(target)).header("Cache-Control", "public, max-age=3600").build();
    }
}
