package social.coves.api.xrpc;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure leaves the API as an XRPC error body, never as an HTML page or a stack trace. */
public class XrpcExceptionMappers {

    private static final Logger LOG = Logger.getLogger(XrpcExceptionMappers.class);

    @ServerExceptionMapper
    public Response xrpc(XrpcException e) {
        if (e.retryAfterSeconds() > 0) {
            return Response.fromResponse(error(e.status(), e.error(), e.getMessage()))
                    .header("Retry-After", e.retryAfterSeconds()).build();
        }
        return error(e.status(), e.error(), e.getMessage());
    }

    /** A PDS refused a write we made for the caller, in a way no procedure expected: the caller sees whose failure it is. */
    @ServerExceptionMapper
    public Response pds(social.coves.api.pds.PdsException e) {
        LOG.warnf("PDS refused a write: %s", e.getMessage());
        return error(502, "UpstreamFailure", "the PDS refused the write: " + e.getMessage());
    }

    /** Unknown {@code /xrpc/<nsid>}: 501 {@code MethodNotImplemented}, as atproto specifies; other paths 404. */
    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        String path = uri.getPath();
        if (path.startsWith("/xrpc/")) {
            return error(501, "MethodNotImplemented", "method not implemented: " + path.substring("/xrpc/".length()));
        }
        return error(404, "NotFound", "no such route: " + path);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return error(405, "MethodNotAllowed", "this XRPC method does not accept that HTTP method");
    }

    /** Other JAX-RS refusals (406, 415, ...): their own status, as XRPC JSON rather than a 500. */
    @ServerExceptionMapper
    public Response refused(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        String error = switch (status) {
            case 401 -> "AuthenticationRequired";
            case 403 -> "Forbidden";
            case 406 -> "NotAcceptable";
            case 413 -> "PayloadTooLarge";
            case 415 -> "UnsupportedMediaType";
            default -> "InvalidRequest";
        };
        return error(status, error, e.getMessage() == null ? "request refused (HTTP " + status + ")" : e.getMessage());
    }

    /**
     * Anything else, checked exceptions included (a refused database connection arrives as
     * {@code java.net.ConnectException}): 500, logged with its stack trace, never shown to the client.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return error(500, "InternalServerError", "internal error");
    }

    static Response error(int status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new XrpcError(error, message)).build();
    }
}
