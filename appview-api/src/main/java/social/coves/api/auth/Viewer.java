package social.coves.api.auth;

/**
 * The authenticated caller: the DID that signed the service-auth token, or the DID of a session signed in through
 * this AppView ({@code sessionId} set: the AppView can then write to the caller's PDS for them).
 */
public record Viewer(String did, String sessionId) {

    public Viewer(String did) {
        this(did, null);
    }

    /** Signed in through this AppView (a sealed token), not a service-auth token. */
    public boolean hasSession() {
        return sessionId != null;
    }
}
