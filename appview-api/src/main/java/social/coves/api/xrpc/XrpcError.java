package social.coves.api.xrpc;

/** The XRPC error body. */
public record XrpcError(String error, String message) {
}
