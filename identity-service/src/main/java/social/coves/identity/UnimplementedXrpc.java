package social.coves.identity;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * Until resolution lands (issue 6), every XRPC method answers 501 {@code MethodNotImplemented} as atproto specifies,
 * so callers get a clear error instead of an HTML 404.
 */
@Path("/xrpc/{nsid}")
public class UnimplementedXrpc {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response query(@PathParam("nsid") String nsid) {
        return Response.status(501)
                .entity(Map.of("error", "MethodNotImplemented", "message", "method not implemented yet: " + nsid))
                .build();
    }
}
