package social.coves.api.pds;

/** What {@code createAccount}, {@code createSession} and {@code refreshSession} answer (tokens are secrets). */
public record PdsSession(String did, String handle, String accessJwt, String refreshJwt) {

    @Override
    public String toString() {
        return "PdsSession[did=" + did + ", handle=" + handle + ", tokens=<redacted>]";
    }
}
