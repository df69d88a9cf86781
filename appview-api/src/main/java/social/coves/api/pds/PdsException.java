package social.coves.api.pds;

/** A PDS answered with an XRPC error: its HTTP status, error name and message. */
public class PdsException extends RuntimeException {

    private final int status;
    private final String error;

    public PdsException(int status, String error, String message) {
        super(error + " (HTTP " + status + "): " + message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The access token was refused as expired or invalid: refresh and try once more. */
    public boolean isExpiredToken() {
        return "ExpiredToken".equals(error) || "InvalidToken".equals(error)
                || (status == 401 && !"AuthMissing".equals(error));
    }
}
