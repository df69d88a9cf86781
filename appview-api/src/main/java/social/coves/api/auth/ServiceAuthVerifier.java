package social.coves.api.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import social.coves.api.oauth.SealedTokens;
import social.coves.api.oauth.SessionVerifier;
import social.coves.lexicon.crypto.LowS;
import social.coves.lexicon.crypto.Multikey;
import social.coves.lexicon.syntax.Did;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies atproto service-auth JWTs (ES256K / ES256, signed by the issuer's {@code #atproto} key), cheapest checks
 * first: shape, algorithm, token type, audience, times, method, issuer; then the key lookup and the signature, with
 * one forced key refresh if the signature fails (the key may have rotated). OAuth access tokens are refused with a
 * message saying how to call us instead. A bearer value shaped like a sealed session token (no dots) is a session
 * signed in through this AppView and goes to {@link SessionVerifier}; both give the same {@link Viewer}.
 */
@ApplicationScoped
public class ServiceAuthVerifier {

    private static final Set<String> ALGORITHMS = Set.of("ES256K", "ES256");
    private static final Set<String> FOREIGN_TYPES = Set.of("at+jwt", "refresh+jwt", "dpop+jwt");
    static final String OAUTH_HINT = "OAuth access tokens are only for the user's PDS; call this AppView through the PDS "
            + "(atproto-proxy header) or with a service-auth token from com.atproto.server.getServiceAuth";

    private final AuthConfig config;
    private final IssuerKeys keys;
    private final Clock clock;
    private final VerifiedSignatures verified;

    private SessionVerifier sessions;

    @Inject
    public ServiceAuthVerifier(AuthConfig config, IssuerKeys keys, MeterRegistry metrics, SessionVerifier sessions) {
        this(config, keys, Clock.systemUTC());
        this.sessions = sessions;
        verified.monitor(metrics);
    }

    ServiceAuthVerifier(AuthConfig config, IssuerKeys keys, Clock clock) {
        this.config = config;
        this.keys = keys;
        this.clock = clock;
        this.verified = new VerifiedSignatures(config.verifiedSignatures(), config.maxLifetime().plus(config.clockSkew()));
    }

    /** True when a request carries no credentials at all (it is read without a viewer). */
    public static boolean isAnonymous(String authorization) {
        return authorization == null || authorization.isBlank();
    }

    /** No header → anonymous; a header that does not verify → 401 (never silently anonymous). */
    public Uni<Optional<Viewer>> optional(String authorization, String nsid) {
        if (isAnonymous(authorization)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return verify(authorization, nsid).map(Optional::of);
    }

    public Uni<Viewer> required(String authorization, String nsid) {
        if (isAnonymous(authorization)) {
            return Uni.createFrom().failure(new AuthException("AuthenticationRequired",
                    "this method needs a service-auth token or a session token (Authorization: Bearer <token>)"));
        }
        return verify(authorization, nsid);
    }

    public Uni<Viewer> verify(String authorization, String nsid) {
        ServiceJwt jwt;
        try {
            String token = bearer(authorization);
            if (sessions != null && SealedTokens.looksSealed(token)) {
                return sessions.verify(token);
            }
            jwt = checkClaims(token, nsid);
        } catch (AuthException e) {
            return Uni.createFrom().failure(e);
        }
        return keys.signingKey(jwt.iss(), false)
                .onFailure().transform(e -> e instanceof social.coves.api.xrpc.XrpcException ? e
                        : new AuthException("BadJwtIss", "could not resolve the signing key of " + jwt.iss() + ": " + e.getMessage()))
                .chain(key -> verifies(key, jwt) ? Uni.createFrom().item(new Viewer(jwt.iss()))
                        : keys.signingKey(jwt.iss(), true).map(fresh -> {
                            if (!fresh.equals(key) && verifies(fresh, jwt)) {
                                return new Viewer(jwt.iss());
                            }
                            if (config.requireLowS() && fresh.algorithm().jwtAlg().equals(jwt.alg())
                                    && fresh.verify(jwt.signingInput(), jwt.signature(), LowS.ALLOWED)) {
                                throw new AuthException("BadJwtSignature", "the signature is in high-S form; atproto requires "
                                        + "low-S signatures (s <= n/2): normalise s to n - s before sending");
                            }
                            if (!fresh.algorithm().jwtAlg().equals(jwt.alg())) {
                                throw new AuthException("BadJwtSignature", "alg " + jwt.alg() + " does not match the "
                                        + fresh.algorithm().jwtAlg() + " #atproto key of " + jwt.iss());
                            }
                            throw new AuthException("BadJwtSignature", "the token is not signed by the #atproto key of " + jwt.iss());
                        }));
    }

    private static String bearer(String authorization) {
        String value = authorization.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (scheme.equalsIgnoreCase("DPoP")) {
            throw new AuthException("BadJwtType", OAUTH_HINT);
        }
        if (space < 0 || !scheme.equalsIgnoreCase("Bearer")) {
            throw new AuthException("BadJwt", "expected Authorization: Bearer <service-auth JWT>");
        }
        return value.substring(space + 1).trim();
    }

    private ServiceJwt checkClaims(String token, String nsid) {
        ServiceJwt jwt = ServiceJwt.parse(token);
        if (jwt.typ() != null && FOREIGN_TYPES.contains(jwt.typ().toLowerCase(Locale.ROOT))) {
            throw new AuthException("BadJwtType", OAUTH_HINT);
        }
        if (jwt.alg() == null || !ALGORITHMS.contains(jwt.alg())) {
            throw new AuthException("BadJwt", "alg must be ES256K or ES256, got " + jwt.alg());
        }
        if (jwt.kid() != null && !jwt.kid().equals("#atproto")) {
            throw new AuthException("BadJwt", "kid must be #atproto when present, got " + jwt.kid());
        }
        String ourService = config.appviewDid() + "#" + config.serviceId();
        if (jwt.aud() == null || !(jwt.aud().equals(config.appviewDid()) || jwt.aud().equals(ourService))) {
            throw new AuthException("BadJwtAudience", "aud must be " + config.appviewDid() + " or " + ourService + ", got " + jwt.aud());
        }
        long now = clock.instant().getEpochSecond();
        long skew = config.clockSkew().toSeconds();
        long maxLifetime = config.maxLifetime().toSeconds();
        if (jwt.exp() == null) {
            throw new AuthException("BadJwt", "exp is required");
        }
        if (now > jwt.exp() + skew) {
            throw new AuthException("JwtExpired", "the token expired at " + jwt.exp() + " (now " + now + ")");
        }
        if (jwt.exp() - now > maxLifetime + skew) {
            throw new AuthException("BadJwt", "exp is more than " + maxLifetime + " s in the future");
        }
        if (jwt.iat() != null) {
            if (jwt.iat() > now + skew) {
                throw new AuthException("BadJwt", "iat is in the future");
            }
            if (jwt.exp() - jwt.iat() > maxLifetime + skew) {
                throw new AuthException("BadJwt", "token lifetime exceeds " + maxLifetime + " s");
            }
        }
        if (jwt.lxm() == null || !jwt.lxm().equals(nsid)) {
            throw new AuthException("BadJwtLexiconMethod", "lxm must be " + nsid + ", got " + jwt.lxm());
        }
        if (jwt.iss() == null || !Did.isValid(jwt.iss())) {
            throw new AuthException("BadJwtIss", "iss must be a DID, got " + jwt.iss());
        }
        return jwt;
    }

    private boolean verifies(Multikey key, ServiceJwt jwt) {
        if (!key.algorithm().jwtAlg().equals(jwt.alg())) {
            return false;   // an ES256 token cannot be signed by a K-256 key, and vice versa
        }
        return verified.verifies(key, jwt,
                () -> key.verify(jwt.signingInput(), jwt.signature(), config.requireLowS() ? LowS.REQUIRED : LowS.ALLOWED));
    }
}
