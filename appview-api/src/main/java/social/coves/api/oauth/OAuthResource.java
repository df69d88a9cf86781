package social.coves.api.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import social.coves.api.auth.AuthException;
import social.coves.api.instance.InstanceConfig;
import social.coves.api.ratelimit.ClientAddresses;
import social.coves.api.ratelimit.RateLimiter;
import social.coves.api.writes.WriteRequests;
import social.coves.api.xrpc.XrpcException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes Coves' apps use to sign in through this AppView (research/coves-clients.md §1): the client metadata and
 * keys the authorization servers fetch, the web and mobile sign-in starts, the callback, refresh, logout and
 * {@code /api/me}. Blocking (identity-service, the authorization server, the database): runs on worker threads.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class OAuthResource {

    static final String SESSION_COOKIE = "coves_session";
    static final String BROWSER_COOKIE = "coves_oauth_browser";

    private final ClientIdentity client;
    private final SignInFlow signIn;
    private final UserSessions sessions;
    private final SealedTokens sealed;
    private final OAuthConfig config;
    private final InstanceConfig instance;
    private final Profiles profiles;
    private final ClientAddresses clients;
    private final RateLimiter signInStarts;

    public OAuthResource(ClientIdentity client, SignInFlow signIn, UserSessions sessions, SealedTokens sealed,
                         OAuthConfig config, InstanceConfig instance, Profiles profiles, ClientAddresses clients) {
        this.client = client;
        this.signIn = signIn;
        this.sessions = sessions;
        this.sealed = sealed;
        this.config = config;
        this.instance = instance;
        this.profiles = profiles;
        this.clients = clients;
        this.signInStarts = new RateLimiter(config.signInsPerMinute());
    }

    @GET
    @Path("oauth-client-metadata.json")
    public Map<String, Object> clientMetadata() {
        client.requireKey();
        return client.metadata();
    }

    @GET
    @Path("oauth/jwks.json")
    public Map<String, Object> jwks() {
        return client.jwks();
    }

    /** This AppView as a resource: which authorization server its users sign in at (the instance's PDS). */
    @GET
    @Path(".well-known/oauth-protected-resource")
    public Map<String, Object> protectedResource() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("resource", client.publicUrl());
        doc.put("authorization_servers", instance.pdsUrl().map(u -> List.of(u.toString().replaceAll("/+$", ""))).orElse(List.of()));
        doc.put("bearer_methods_supported", List.of("header"));
        doc.put("scopes_supported", List.of());
        return doc;
    }

    /** Web: {@code ?handle=&redirect_uri=&state=}; the browser comes back to {@code redirect_uri} with a session cookie. */
    @GET
    @Path("oauth/login")
    public Response webLogin(@Context HttpServerRequest request, @QueryParam("handle") String handle, @QueryParam("redirect_uri") String redirectUri,
                             @QueryParam("state") String clientState) {
        String returnTo = redirectUri == null || redirectUri.isBlank() ? client.publicUrl() + "/" : redirectUri;
        if (!webReturnAllowed(returnTo)) {
            throw XrpcException.invalidRequest("redirect_uri " + returnTo + " is not an allowed web redirect");
        }
        return startSignIn(request, handle, SignIn.App.web, returnTo, clientState);
    }

    /** Mobile: {@code ?handle=&redirect_uri=}; the app is deep-linked back with the sealed token. */
    @GET
    @Path("oauth/mobile/login")
    public Response mobileLogin(@Context HttpServerRequest request, @QueryParam("handle") String handle, @QueryParam("redirect_uri") String redirectUri) {
        if (redirectUri == null || !config.mobileRedirectUris().contains(redirectUri)) {
            throw XrpcException.invalidRequest("redirect_uri " + redirectUri + " is not an allowed app redirect (allowed: "
                    + String.join(", ", config.mobileRedirectUris()) + ")");
        }
        return startSignIn(request, handle, SignIn.App.mobile, redirectUri, null);
    }

    private Response startSignIn(HttpServerRequest request, String handle, SignIn.App app, String returnTo, String clientState) {
        if (handle == null || handle.isBlank()) {
            throw XrpcException.invalidRequest("handle is required (a handle or a DID)");
        }
        WriteRequests.admit(signInStarts, clients.of(request), "sign-in");
        SignInFlow.Started started = signIn.start(handle.trim(), app, returnTo, clientState);
        return Response.status(302).location(started.authorizationUrl())
                .cookie(cookie(BROWSER_COOKIE, started.browserSecret(), "/oauth/callback", (int) config.signInTtl().toSeconds()))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("oauth/callback")
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code, @QueryParam("iss") String iss,
                             @QueryParam("error") String error, @QueryParam("error_description") String errorDescription,
                             @CookieParam(BROWSER_COOKIE) String browserSecret) {
        SignInFlow.Finished done = signIn.finish(state, code, iss, error, errorDescription, browserSecret);
        Response.ResponseBuilder answer = Response.status(302).header("Cache-Control", "no-store")
                .cookie(cookie(BROWSER_COOKIE, "", "/oauth/callback", 0));
        if (done.app() == SignIn.App.mobile) {
            return answer.location(URI.create(withQuery(done.returnTo(), Map.of("token", done.sealedToken(), "did", done.did(),
                    "session_id", done.sessionId(), "handle", done.handle())))).build();
        }
        String target = done.clientState() == null ? done.returnTo() : withQuery(done.returnTo(), Map.of("state", done.clientState()));
        return answer.location(URI.create(target))
                .cookie(cookie(SESSION_COOKIE, done.sealedToken(), "/", (int) config.sessionTtl().toSeconds())).build();
    }

    /** {@code {did, session_id, sealed_token}} → a new sealed token (the OAuth tokens behind it refreshed). */
    @POST
    @Path("oauth/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> refresh(JsonNode body) {
        String did = text(body, "did");
        String sessionId = text(body, "session_id");
        String token = text(body, "sealed_token");
        String renewed = sessions.renew(did, sessionId, token);
        return Map.of("sealed_token", renewed, "access_token", renewed);
    }

    @POST
    @Path("oauth/logout")
    public Response logout(@HeaderParam("Authorization") String authorization, @CookieParam(SESSION_COOKIE) String cookie) {
        SealedTokens.Claims claims = sealed.openIgnoringExpiry(tokenOf(authorization, cookie));
        sessions.logout(claims.did(), claims.sessionId());
        return Response.ok(Map.of("status", "logged_out")).cookie(cookie(SESSION_COOKIE, "", "/", 0)).build();
    }

    /** {@code {did, handle, avatar?}} of the signed-in caller. */
    @GET
    @Path("api/me")
    public Map<String, Object> me(@HeaderParam("Authorization") String authorization, @CookieParam(SESSION_COOKIE) String cookie) {
        SealedTokens.Claims claims = sealed.open(tokenOf(authorization, cookie));
        UserSession session = sessions.live(claims.did(), claims.sessionId());
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("did", session.did());
        Profiles.Shown shown = profiles.of(session.did());
        me.put("handle", shown.handle().orElse(session.handle()));
        shown.avatar().ifPresent(url -> me.put("avatar", url));
        return me;
    }

    private static String tokenOf(String authorization, String cookie) {
        if (authorization != null && !authorization.isBlank()) {
            String value = authorization.trim();
            if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new AuthException("InvalidToken", "expected Authorization: Bearer <session token>");
            }
            return value.substring(7).trim();
        }
        if (cookie != null && !cookie.isBlank()) {
            return cookie;
        }
        throw new AuthException("AuthenticationRequired", "sign in first: Authorization: Bearer <session token> or the "
                + SESSION_COOKIE + " cookie");
    }

    private boolean webReturnAllowed(String returnTo) {
        List<String> allowed = config.webRedirectPrefixes().orElse(List.of(client.publicUrl() + "/"));
        return allowed.stream().anyMatch(prefix -> returnTo.startsWith(prefix) || returnTo.equals(prefix.replaceAll("/$", "")));
    }

    private NewCookie cookie(String name, String value, String path, int maxAge) {
        return new NewCookie.Builder(name).value(value).path(path).maxAge(maxAge).httpOnly(true)
                .secure(config.secureCookies()).sameSite(NewCookie.SameSite.LAX)
                .expiry(maxAge == 0 ? java.util.Date.from(Instant.EPOCH) : null).build();
    }

    private static String withQuery(String base, Map<String, String> params) {
        StringBuilder url = new StringBuilder(base).append(base.contains("?") ? '&' : '?');
        params.forEach((k, v) -> url.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        return url.substring(0, url.length() - 1);
    }

    private static String text(JsonNode body, String field) {
        if (body == null || !body.path(field).isTextual() || body.path(field).asText().isBlank()) {
            throw XrpcException.invalidRequest(field + " is required");
        }
        return body.path(field).asText();
    }
}
