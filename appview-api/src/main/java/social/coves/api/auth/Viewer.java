package social.coves.api.auth;

/** The authenticated caller: the DID that signed the service-auth token. */
public record Viewer(String did) {
}
