package social.coves.api.xrpc;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import social.coves.api.writes.WriteProcedures;

/**
 * Every {@code /xrpc/<nsid>} that no resource serves: 501 {@code MethodNotImplemented}, as atproto specifies. For
 * the write procedures of user-owned records the message names the exact PDS call to make instead.
 */
@Path("/xrpc")
public class XrpcFallbackResource {

    @GET
    @Path("{nsid}")
    public void query(@PathParam("nsid") String nsid) {
        throw new XrpcException(501, "MethodNotImplemented", "method not implemented: " + nsid);
    }

    @POST
    @Path("{nsid}")
    public void procedure(@PathParam("nsid") String nsid) {
        throw new XrpcException(501, "MethodNotImplemented", WriteProcedures.adviceFor(nsid)
                .orElse("method not implemented: " + nsid));
    }
}
