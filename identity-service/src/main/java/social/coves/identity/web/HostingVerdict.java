package social.coves.identity.web;

/** The answer to "may {@code hostedBy} host this community handle?", with a machine-readable reason. */
public record HostingVerdict(boolean verified, String reason, String message, String handle, String hostedBy, String domain) {

    public static final String VERIFIED = "Verified";
}
