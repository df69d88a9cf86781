package social.coves.api.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import social.coves.api.auth.AuthException;
import social.coves.api.secrets.SecretBox;
import social.coves.api.xrpc.XrpcException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Signing a user in through their own authorization server (atproto OAuth): {@link #start} resolves who they are
 * (identity-service), pushes the authorization request (PAR, PKCE S256, DPoP with a fresh per-session key, a client
 * assertion) and answers where to send the browser; {@link #finish} takes the callback, checks that it belongs to
 * the browser that started it, that {@code iss} is the server we sent them to and that {@code sub} is the DID we
 * resolved with a handle that verifies both ways, trades the code for DPoP-bound tokens and stores the session.
 */
@ApplicationScoped
public class SignInFlow {

    private static final Logger LOG = Logger.getLogger(SignInFlow.class);

    /** Where to send the browser, and the secret the browser keeps in a cookie until the callback. */
    public record Started(URI authorizationUrl, String browserSecret) {
    }

    /** A finished sign-in: the session and the sealed token for the app, and where it goes back to. */
    public record Finished(SignIn.App app, String returnTo, String clientState, String sealedToken, String did,
                           String handle, String sessionId) {
    }

    private final ClientIdentity client;
    private final IdentityLookups identity;
    private final DpopHttp http;
    private final TokenGrants tokens;
    private final OAuthStore store;
    private final SecretBox box;
    private final SealedTokens sealed;
    private final OAuthConfig config;
    private final MeterRegistry meters;

    public SignInFlow(ClientIdentity client, IdentityLookups identity, DpopHttp http, TokenGrants tokens, OAuthStore store,
                      SecretBox box, SealedTokens sealed, OAuthConfig config, MeterRegistry meters) {
        this.client = client;
        this.identity = identity;
        this.http = http;
        this.tokens = tokens;
        this.store = store;
        this.box = box;
        this.sealed = sealed;
        this.config = config;
        this.meters = meters;
    }

    public Started start(String identifier, SignIn.App app, String returnTo, String clientState) {
        client.requireKey();
        IdentityLookups.Found who = identity.oauthServer(identifier);
        if ("handle.invalid".equals(who.handle())) {
            throw new XrpcException(400, "HandleInvalid", who.did() + " has no handle that verifies both ways; "
                    + "fix the handle before signing in");
        }
        ECKey dpopKey = newDpopKey();
        CodeVerifier verifier = new CodeVerifier();
        State state = new State(32);
        String browserSecret = Secrets.random(32);
        AuthorizationRequest request = new AuthorizationRequest.Builder(new ResponseType(ResponseType.Value.CODE), client.clientId())
                .redirectionURI(client.redirectUri())
                .scope(Scope.parse(client.scope()))
                .state(state)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("login_hint", identifier.startsWith("did:") ? who.did() : who.handle())
                .build();
        AuthorizationServer server = who.server();
        PushedAuthorizationRequest par = new PushedAuthorizationRequest(URI.create(server.parEndpoint()),
                client.assertionFor(server.issuer()), request);
        DpopHttp.Answer answer = http.toAuthorizationServer(par.toHTTPRequest(), dpopKey, null, "the authorization server " + server.issuer());
        URI requestUri = requestUri(answer, server.issuer());
        store.saveSignIn(new SignIn(state.getValue(), Secrets.sha256(browserSecret), who.did(), who.handle(), who.pds(), server,
                box.seal(verifier.getValue(), SignIn.sealContext(state.getValue(), "verifier")),
                box.seal(dpopKey.toJSONString(), SignIn.sealContext(state.getValue(), "dpop_key")), answer.nonce(), app,
                returnTo, clientState, Instant.now().plus(config.signInTtl())));
        meters.counter("coves_api_oauth_sign_ins_total", "step", "started", "app", app.name()).increment();
        URI authorize = URI.create(server.authorizationEndpoint() + (server.authorizationEndpoint().contains("?") ? "&" : "?")
                + "client_id=" + enc(client.clientId().getValue()) + "&request_uri=" + enc(requestUri.toString()));
        return new Started(authorize, browserSecret);
    }

    public Finished finish(String state, String code, String iss, String error, String errorDescription, String browserSecret) {
        if (state == null || state.isBlank()) {
            throw XrpcException.invalidRequest("the callback has no state");
        }
        SignIn signIn = store.takeSignIn(state, browserSecret == null ? "" : Secrets.sha256(browserSecret))
                .orElseThrow(() -> fail("unknown_state", XrpcException.invalidRequest(
                        "this sign-in is unknown, expired, already finished or was started in another browser")));
        if (error != null) {
            throw fail("denied", new AuthException("AuthorizationDenied", "the authorization server answered " + error
                    + (errorDescription == null ? "" : ": " + errorDescription)));
        }
        if (iss == null || !iss.equals(signIn.server().issuer())) {
            throw fail("wrong_issuer", XrpcException.invalidRequest("the callback's iss " + iss + " is not the authorization server "
                    + signIn.server().issuer() + " this sign-in was sent to"));
        }
        if (code == null || code.isBlank()) {
            throw fail("no_code", XrpcException.invalidRequest("the callback has no code"));
        }
        ECKey dpopKey = Secrets.ecKey(box.open(signIn.dpopKeySealed(), SignIn.sealContext(state, "dpop_key")));
        CodeVerifier verifier = new CodeVerifier(box.open(signIn.verifierSealed(), SignIn.sealContext(state, "verifier")));
        TokenGrants.Granted granted = tokens.grant(signIn.server().issuer(), signIn.server().tokenEndpoint(),
                new AuthorizationCodeGrant(new AuthorizationCode(code), client.redirectUri(), verifier), dpopKey, signIn.dpopNonce());
        if (!signIn.did().equals(granted.sub())) {
            tokens.revoke(signIn.server().issuer(), signIn.server().revocationEndpoint(), granted.refreshToken(), dpopKey, granted.nonce());
            throw fail("wrong_subject", new AuthException("InvalidToken", "the authorization server signed in " + granted.sub()
                    + ", not " + signIn.did() + " who this sign-in was for"));
        }
        if (!Scope.parse(granted.scope()).contains("atproto")) {
            throw fail("no_atproto_scope", new AuthException("InvalidToken", "the granted scope lacks atproto: " + granted.scope()));
        }
        String handle = identity.verifiedHandle(granted.sub());
        if ("handle.invalid".equals(handle)) {
            tokens.revoke(signIn.server().issuer(), signIn.server().revocationEndpoint(), granted.refreshToken(), dpopKey, granted.nonce());
            throw fail("handle_invalid", new AuthException("HandleInvalid", granted.sub() + "'s handle does not verify both ways"));
        }
        String sessionId = Secrets.random(24);
        Instant expires = Instant.now().plus(config.sessionTtl());
        UserSession session = new UserSession(sessionId, granted.sub(), handle, signIn.pdsUrl(), signIn.server().issuer(),
                signIn.server().tokenEndpoint(), signIn.server().revocationEndpoint(), granted.scope(),
                box.seal(granted.accessToken(), UserSession.sealContext(sessionId, "access")),
                granted.refreshToken() == null ? null : box.seal(granted.refreshToken(), UserSession.sealContext(sessionId, "refresh")),
                granted.accessExpiresAt(), box.seal(dpopKey.toJSONString(), UserSession.sealContext(sessionId, "dpop_key")),
                granted.nonce(), null, expires, null);
        store.createSession(session);
        meters.counter("coves_api_oauth_sign_ins_total", "step", "finished", "app", signIn.app().name()).increment();
        LOG.infof("signed in %s (%s) through %s", granted.sub(), handle, signIn.server().issuer());
        return new Finished(signIn.app(), signIn.returnTo(), signIn.clientState(), sealed.seal(granted.sub(), sessionId, expires),
                granted.sub(), handle, sessionId);
    }

    private XrpcException fail(String reason, XrpcException e) {
        meters.counter("coves_api_oauth_sign_ins_total", "step", "refused_" + reason, "app", "any").increment();
        return e;
    }

    private static URI requestUri(DpopHttp.Answer answer, String issuer) {
        PushedAuthorizationResponse response;
        try {
            response = PushedAuthorizationResponse.parse(answer.asSdkResponse());
        } catch (ParseException e) {
            throw new XrpcException(502, "UpstreamFailure", "the authorization server " + issuer
                    + " answered the pushed authorization request with HTTP " + answer.status() + " that is not an OAuth answer");
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            throw new XrpcException(502, "UpstreamFailure", "the authorization server " + issuer + " refused the sign-in request: "
                    + error.getCode() + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
        }
        return response.toSuccessResponse().getRequestURI();
    }

    private static ECKey newDpopKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(Secrets.random(8)).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make a DPoP key", e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
