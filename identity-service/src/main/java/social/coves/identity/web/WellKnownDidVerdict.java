package social.coves.identity.web;

/**
 * The answer to "does {@code https://<domain>/.well-known/atproto-did} name this DID?", with a machine-readable
 * reason (see {@link WellKnownDidVerifier}). {@code domain} is the normalised {@code host[:port]}, or null when the
 * input was not an acceptable domain.
 */
public record WellKnownDidVerdict(boolean verified, String reason, String message, String domain, String did) {

    public static final String VERIFIED = "Verified";
    public static final String INVALID_DOMAIN = "InvalidDomain";
    public static final String INVALID_DID = "InvalidDid";
    public static final String NOT_FOUND = "NotFound";
    public static final String MISMATCH = "Mismatch";
    public static final String NOT_A_DID = "NotADid";
    public static final String REDIRECT = "Redirect";
    public static final String REFUSED = "Refused";
    public static final String TOO_LARGE = "TooLarge";
    public static final String FETCH_FAILED = "FetchFailed";
}
