package social.coves.api.oauth;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import social.coves.api.xrpc.XrpcException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The token endpoint and the revocation endpoint of a user's authorization server: client assertion (private_key_jwt,
 * {@code aud} = issuer) plus a DPoP proof on every request.
 */
@ApplicationScoped
public class TokenGrants {

    private static final Logger LOG = Logger.getLogger(TokenGrants.class);

    /** Tokens granted: DPoP-bound access token, refresh token, when the access token expires, scope, subject DID. */
    public record Granted(String accessToken, String refreshToken, Instant accessExpiresAt, String scope, String sub,
                          String nonce) {
    }

    /** The authorization server refused the grant (e.g. an expired or spent refresh token): {@code error}. */
    public static final class Refused extends XrpcException {
        private final String oauthError;

        Refused(ErrorObject error) {
            super(401, "InvalidToken", "the authorization server refused: " + error.getCode()
                    + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
            this.oauthError = error.getCode();
        }

        public String oauthError() {
            return oauthError;
        }
    }

    private final ClientIdentity client;
    private final DpopHttp http;

    public TokenGrants(ClientIdentity client, DpopHttp http) {
        this.client = client;
        this.http = http;
    }

    public Granted grant(String issuer, String tokenEndpoint, AuthorizationGrant grant, ECKey dpopKey, String nonce) {
        TokenRequest request = new TokenRequest(URI.create(tokenEndpoint), client.assertionFor(issuer), grant);
        DpopHttp.Answer answer = http.toAuthorizationServer(withClientId(request.toHTTPRequest()), dpopKey, nonce,
                "the authorization server " + issuer);
        TokenResponse response;
        try {
            response = TokenResponse.parse(answer.asSdkResponse());
        } catch (ParseException e) {
            throw new XrpcException(502, "UpstreamFailure", "the authorization server " + issuer + " answered the token request "
                    + "with HTTP " + answer.status() + " that is not an OAuth answer");
        }
        if (!response.indicatesSuccess()) {
            throw new Refused(response.toErrorResponse().getErrorObject());
        }
        AccessTokenResponse ok = response.toSuccessResponse();
        if (!AccessTokenType.DPOP.equals(ok.getTokens().getAccessToken().getType())) {
            throw new XrpcException(502, "UpstreamFailure", "the authorization server " + issuer + " issued a "
                    + ok.getTokens().getAccessToken().getType() + " token, not a DPoP-bound one");
        }
        long lifetime = ok.getTokens().getAccessToken().getLifetime();
        RefreshToken refresh = ok.getTokens().getRefreshToken();
        Object sub = ok.getCustomParameters().get("sub");
        Object scope = ok.getTokens().getAccessToken().getScope();
        return new Granted(ok.getTokens().getAccessToken().getValue(), refresh == null ? null : refresh.getValue(),
                Instant.now().plusSeconds(lifetime > 0 ? lifetime : 300), scope == null ? "" : scope.toString(),
                sub == null ? null : sub.toString(), answer.nonce());
    }

    /** atproto authorization servers want {@code client_id} in the body next to the client assertion. */
    private HTTPRequest withClientId(HTTPRequest request) {
        String body = request.getBody() == null ? "" : request.getBody();
        if (!body.contains("client_id=")) {
            request.setBody(body + (body.isEmpty() ? "" : "&") + "client_id="
                    + URLEncoder.encode(client.clientId().getValue(), StandardCharsets.UTF_8));
        }
        return request;
    }

    /** Best effort: a revocation the server refuses or cannot take is logged; the session ends here anyway. */
    public String revoke(String issuer, String revocationEndpoint, String refreshToken, ECKey dpopKey, String nonce) {
        if (revocationEndpoint == null || refreshToken == null) {
            return nonce;
        }
        try {
            TokenRevocationRequest request = new TokenRevocationRequest(URI.create(revocationEndpoint),
                    client.assertionFor(issuer), new RefreshToken(refreshToken));
            DpopHttp.Answer answer = http.toAuthorizationServer(withClientId(request.toHTTPRequest()), dpopKey, nonce,
                    "the authorization server " + issuer);
            if (!answer.ok()) {
                LOG.infof("revocation at %s answered HTTP %d", issuer, answer.status());
            }
            return answer.nonce();
        } catch (XrpcException e) {
            LOG.infof("revocation at %s failed: %s", issuer, e.getMessage());
            return nonce;
        }
    }
}
