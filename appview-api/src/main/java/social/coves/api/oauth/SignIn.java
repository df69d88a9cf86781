package social.coves.api.oauth;

import java.time.Instant;

/**
 * A sign-in in progress: who is signing in (resolved before we sent them away), at which authorization server, the
 * sealed PKCE verifier and DPoP key, and where the app or browser goes back to.
 */
public record SignIn(String state, String browserHash, String did, String handle, String pdsUrl, AuthorizationServer server,
                     byte[] verifierSealed, byte[] dpopKeySealed, String dpopNonce, App app, String returnTo,
                     String clientState, Instant expiresAt) {

    /** Which app started it: the web app gets a cookie, the mobile app a deep link with the token. */
    public enum App { web, mobile }

    static String sealContext(String state, String column) {
        return "oauth-sign-in:" + state + ":" + column;
    }
}
