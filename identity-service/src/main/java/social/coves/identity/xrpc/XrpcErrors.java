package social.coves.identity.xrpc;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import social.coves.identity.resolution.IdentityError;

import java.util.Map;

/** Turns {@link IdentityError} into the XRPC error body {@code {"error", "message"}} with its status. */
@Provider
public class XrpcErrors implements ExceptionMapper<IdentityError> {

    @Override
    public Response toResponse(IdentityError error) {
        return body(error.kind().status(), error.kind().errorName(), error.getMessage());
    }

    static Response body(int status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error, "message", message == null ? "" : message)).build();
    }
}
