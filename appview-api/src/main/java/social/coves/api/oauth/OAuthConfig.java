package social.coves.api.oauth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The AppView as its users' atproto OAuth client ({@code coves.api.oauth.*}). The client id is
 * {@code coves.appview.public-url + /oauth-client-metadata.json}; without a client key the OAuth routes answer 501.
 */
@ConfigMapping(prefix = "coves.api.oauth")
public interface OAuthConfig {

    /**
     * {@code COVES_API_OAUTH_CLIENT_KEY}: the client's ES256 private key as a JWK (JSON, with a {@code kid}), from a
     * Secret. Its public half is served at {@code /oauth/jwks.json}; the private half signs client assertions.
     */
    Optional<String> clientKey();

    @WithDefault("Coves")
    String clientName();

    /** What the AppView asks the user's authorization server for: repo writes need transition:generic. */
    @WithDefault("atproto transition:generic")
    String scope();

    /** Where {@code /oauth/mobile/login} may send the app back to (exact match). */
    @WithDefault("social.coves:/callback,social.coves://callback,social.coves:/oauth/callback,social.coves://oauth/callback")
    List<String> mobileRedirectUris();

    /**
     * Where {@code /oauth/login} may send the browser back to after sign-in: prefixes (an origin with a trailing
     * slash, e.g. {@code https://coves.social/}); empty = only paths of this AppView's own public URL.
     */
    Optional<List<String>> webRedirectPrefixes();

    /** How long a sealed token (and the web cookie) is valid; {@code /oauth/refresh} gives a new one. */
    @WithDefault("14d")
    Duration sessionTtl();

    /** How long a started sign-in may take (the user at the PDS's pages). */
    @WithDefault("15m")
    Duration signInTtl();

    /** A user's access token is refreshed when it expires within this margin. */
    @WithDefault("60s")
    Duration refreshMargin();

    /** Connect and whole-call timeout of one request to an authorization server or a user's PDS. */
    @WithDefault("10s")
    Duration httpTimeout();

    /** Sign-in starts per client address per minute (each costs identity look-ups and a request to an authorization server). */
    @WithDefault("30")
    int signInsPerMinute();

    /**
     * Lets requests to authorization servers and users' PDSes go to loopback and private addresses: dev and tests only
     * (their PDS is on loopback). Off, every such host is resolved first and refused when any address is not public.
     */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** Marks the web session cookie {@code Secure} (off only for plain-http local runs). */
    @WithDefault("true")
    boolean secureCookies();
}
