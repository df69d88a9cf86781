package social.coves.identity.resolution;

/** A resolution outcome the caller must see as an XRPC error; {@link Kind} carries the atproto error name. */
public class IdentityError extends RuntimeException {

    /** Named errors answer 400 as the reference PDS does; transient upstream trouble is 502; cool-down is 429. */
    public enum Kind {
        INVALID_REQUEST("InvalidRequest", 400),
        HANDLE_NOT_FOUND("HandleNotFound", 400),
        DID_NOT_FOUND("DidNotFound", 400),
        DID_DEACTIVATED("DidDeactivated", 400),
        /** The DID document names no {@code #atproto_pds} service (resolveOAuthServer). */
        NO_PDS("NoPds", 400),
        UPSTREAM_FAILURE("UpstreamFailure", 502),
        RATE_LIMITED("RateLimitExceeded", 429);

        private final String errorName;
        private final int status;

        Kind(String errorName, int status) {
            this.errorName = errorName;
            this.status = status;
        }

        public String errorName() {
            return errorName;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;

    public IdentityError(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
