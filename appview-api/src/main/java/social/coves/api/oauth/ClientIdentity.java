package social.coves.api.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.ClientID;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import social.coves.api.xrpc.XrpcException;

import java.net.URI;
import java.text.ParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who the AppView is as an OAuth client: its client id (the URL of its metadata document), its redirect URI, its
 * signing key, and the metadata document the authorization servers fetch.
 */
@ApplicationScoped
public class ClientIdentity {

    private final OAuthConfig config;
    private final String publicUrl;
    private final Optional<ECKey> key;

    public ClientIdentity(OAuthConfig config, @ConfigProperty(name = "coves.appview.public-url") String publicUrl) {
        this.config = config;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.key = config.clientKey().filter(k -> !k.isBlank()).map(ClientIdentity::parseKey);
    }

    private static ECKey parseKey(String jwk) {
        try {
            JWK parsed = JWK.parse(jwk.trim());
            if (!(parsed instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || !ec.isPrivate() || ec.getKeyID() == null) {
                throw new IllegalStateException("coves.api.oauth.client-key must be a private P-256 JWK with a kid");
            }
            return ec;
        } catch (ParseException e) {
            throw new IllegalStateException("coves.api.oauth.client-key is not a JWK: " + e.getMessage());
        }
    }

    /** 501 when no client key is configured: this instance does not sign users in. */
    public ECKey requireKey() {
        return key.orElseThrow(() -> new XrpcException(501, "MethodNotImplemented",
                "sign-in through this AppView is not configured (coves.api.oauth.client-key)"));
    }

    public boolean configured() {
        return key.isPresent();
    }

    public String publicUrl() {
        return publicUrl;
    }

    public ClientID clientId() {
        return new ClientID(publicUrl + "/oauth-client-metadata.json");
    }

    public URI redirectUri() {
        return URI.create(publicUrl + "/oauth/callback");
    }

    public String scope() {
        return config.scope();
    }

    /** A client assertion for {@code issuer} (atproto: {@code aud} is the authorization server's issuer). */
    public PrivateKeyJWT assertionFor(String issuer) {
        ECKey signing = requireKey();
        try {
            Date now = new Date();
            // atproto authorization servers require iat (and a short lifetime); jti makes each assertion single use
            JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(clientId(), List.of(new Audience(issuer)),
                    new Date(now.getTime() + 60_000), null, now, new JWTID());
            return new PrivateKeyJWT(claims, JWSAlgorithm.ES256, signing.toECPrivateKey(), signing.getKeyID(), null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a client assertion", e);
        }
    }

    public Map<String, Object> jwks() {
        return key.map(k -> new JWKSet(k.toPublicJWK()).toJSONObject(true)).orElse(Map.of("keys", List.of()));
    }

    /** The client metadata document (atproto OAuth profile: a confidential web client, DPoP-bound tokens). */
    public Map<String, Object> metadata() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("client_id", clientId().getValue());
        doc.put("client_name", config.clientName());
        doc.put("client_uri", publicUrl);
        doc.put("application_type", "web");
        doc.put("redirect_uris", List.of(redirectUri().toString()));
        doc.put("grant_types", List.of("authorization_code", "refresh_token"));
        doc.put("response_types", List.of("code"));
        doc.put("scope", config.scope());
        doc.put("token_endpoint_auth_method", "private_key_jwt");
        doc.put("token_endpoint_auth_signing_alg", "ES256");
        doc.put("dpop_bound_access_tokens", true);
        doc.put("jwks_uri", publicUrl + "/oauth/jwks.json");
        return doc;
    }
}
