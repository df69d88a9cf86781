package social.coves.api.xrpc;

/** An XRPC error: rendered as {@code {"error": name, "message": message}} with the HTTP status. */
public class XrpcException extends RuntimeException {

    private final int status;
    private final String error;
    private long retryAfterSeconds;

    public XrpcException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public static XrpcException invalidRequest(String message) {
        return new XrpcException(400, "InvalidRequest", message);
    }

    public static XrpcException notFound(String error, String message) {
        return new XrpcException(404, error, message);
    }

    /** Sets the {@code Retry-After} the answer carries (429, 503). */
    public XrpcException retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
