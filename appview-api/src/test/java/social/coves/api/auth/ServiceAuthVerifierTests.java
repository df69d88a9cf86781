package social.coves.api.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;
import social.coves.api.support.ServiceJwts;
import social.coves.lexicon.crypto.KeyAlgorithm;
import social.coves.lexicon.crypto.Multikey;
import social.coves.lexicon.crypto.SigningKey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verifier's rules, with real ES256K/ES256 signatures; key lookup is an in-memory directory here. */
class ServiceAuthVerifierTests {

    private static final String APPVIEW = "did:web:appview.coves.test";
    private static final String USER = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    private static final String NSID = "social.coves.feed.getTimeline";
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private final SigningKey k256 = SigningKey.generate(KeyAlgorithm.ES256K);
    private final SigningKey p256 = SigningKey.generate(KeyAlgorithm.ES256);
    private final Map<String, Multikey> directory = new HashMap<>(Map.of(USER, k256.publicKey()));
    private final IssuerKeys keys = (did, force) -> directory.containsKey(did) ? Uni.createFrom().item(directory.get(did))
            : Uni.createFrom().failure(new IllegalStateException("DidNotFound"));
    private final ServiceAuthVerifier verifier = new ServiceAuthVerifier(config(), keys, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsAnEs256kTokenForOurAudienceAndMethod() {
        assertThat(verify(token(k256, c -> { }))).isEqualTo(new Viewer(USER));
        assertThat(verify(token(k256, c -> c.put("aud", APPVIEW + "#coves_appview")))).isEqualTo(new Viewer(USER));
    }

    @Test
    void acceptsEs256AndRefusesHighSSignaturesUnlessConfigured() {
        assertRefused(token(k256, c -> { }, "ES256K", true), "BadJwtSignature", "high-S");
        directory.put(USER, p256.publicKey());
        assertThat(verify(token(p256, c -> { }, "ES256", false))).isEqualTo(new Viewer(USER));
        assertRefused(token(p256, c -> { }, "ES256", true), "BadJwtSignature", "high-S");
        ServiceAuthVerifier lenient = new ServiceAuthVerifier(new AuthConfig(APPVIEW, "coves_appview", Duration.ofSeconds(5),
                Duration.ofHours(1), Duration.ofSeconds(30), false, 1000), keys, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(lenient.verify(token(p256, c -> { }, "ES256", true), NSID).await().indefinitely())
                .isEqualTo(new Viewer(USER));
    }

    @Test
    void refusesEachBrokenRuleWithAClearError() {
        assertRefused(token(k256, c -> c.put("aud", "did:web:someone.else")), "BadJwtAudience", "aud must be");
        assertRefused(token(k256, c -> c.put("lxm", "social.coves.feed.getDiscover")), "BadJwtLexiconMethod", "lxm must be " + NSID);
        assertRefused(token(k256, c -> c.remove("lxm")), "BadJwtLexiconMethod", "lxm must be");
        assertRefused(token(k256, c -> c.put("exp", NOW.getEpochSecond() - 60)), "JwtExpired", "expired");
        assertRefused(token(k256, c -> c.put("iat", NOW.getEpochSecond() + 120)), "BadJwt", "iat is in the future");
        assertRefused(token(k256, c -> c.put("exp", NOW.getEpochSecond() + 7200)), "BadJwt", "in the future");
        assertRefused(token(k256, c -> c.put("iss", "did:plc:unknownunknownunknownunk")), "BadJwtIss", "could not resolve");
        assertRefused(token(k256, c -> c.put("iss", "alice.test")), "BadJwtIss", "iss must be a DID");
        assertRefused("Bearer not.a.jwt", "BadJwt", "");
        assertRefused("Basic dXNlcjpwYXNz", "BadJwt", "Bearer");
    }

    @Test
    void refusesAWrongCurveAndAForeignSignature() {
        // header says ES256 but the issuer's key is K-256
        assertRefused(token(p256, c -> { }, "ES256", false), "BadJwtSignature", "does not match");
        // right algorithm, wrong key
        SigningKey other = SigningKey.generate(KeyAlgorithm.ES256K);
        assertRefused(token(other, c -> { }), "BadJwtSignature", "not signed by");
    }

    @Test
    void refusesOAuthAccessTokensWithAHintAtTheRightPath() {
        assertRefused(token(k256, c -> { }, "ES256K", false, "at+jwt"), "BadJwtType", "atproto-proxy");
        assertRefused("DPoP " + token(k256, c -> { }).substring("Bearer ".length()), "BadJwtType", "getServiceAuth");
    }

    @Test
    void retriesOnceWithARefreshedKeyAfterRotation() {
        SigningKey rotated = SigningKey.generate(KeyAlgorithm.ES256K);
        Multikey stale = k256.publicKey();
        IssuerKeys rotating = (did, force) -> Uni.createFrom().item(force ? rotated.publicKey() : stale);
        var v = new ServiceAuthVerifier(config(), rotating, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(v.verify(token(rotated, c -> { }), NSID).await().indefinitely()).isEqualTo(new Viewer(USER));
    }

    @Test
    void aReusedTokenSkipsItsSignatureCheckButNotItsClaims() {
        Instant[] now = {NOW};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        var v = new ServiceAuthVerifier(config(), keys, moving);
        String header = token(k256, c -> { });
        assertThat(v.verify(header, NSID).await().indefinitely()).isEqualTo(new Viewer(USER));
        assertThat(v.verify(header, NSID).await().indefinitely()).isEqualTo(new Viewer(USER));
        // the same token for another method is refused on its claims, remembered or not
        assertThatThrownBy(() -> v.verify(header, "social.coves.feed.getDiscover").await().indefinitely())
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.error()).isEqualTo("BadJwtLexiconMethod"));
        // one changed signature byte is not the remembered token
        String signature = header.substring(header.lastIndexOf('.') + 1);
        String tampered = header.substring(0, header.lastIndexOf('.') + 1) + (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1);
        assertThatThrownBy(() -> v.verify(tampered, NSID).await().indefinitely())
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.error()).isIn("BadJwtSignature", "BadJwt"));
        // a remembered token still expires
        now[0] = NOW.plusSeconds(120);
        assertThatThrownBy(() -> v.verify(header, NSID).await().indefinitely())
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.error()).isEqualTo("JwtExpired"));
    }

    @Test
    void optionalAuthIsAnonymousWithoutAHeaderButNeverIgnoresABadOne() {
        assertThat(verifier.optional(null, NSID).await().indefinitely()).isEmpty();
        assertThatThrownBy(() -> verifier.optional("Bearer x.y.z", NSID).await().indefinitely()).isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> verifier.required(null, NSID).await().indefinitely())
                .isInstanceOf(AuthException.class).extracting(e -> ((AuthException) e).error()).isEqualTo("AuthenticationRequired");
    }

    private Viewer verify(String header) {
        return verifier.verify(header, NSID).await().indefinitely();
    }

    private void assertRefused(String header, String error, String messagePart) {
        assertThatThrownBy(() -> verify(header))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }

    private String token(SigningKey key, Consumer<ObjectNode> claims) {
        return token(key, claims, "ES256K", false);
    }

    private String token(SigningKey key, Consumer<ObjectNode> claims, String alg, boolean highS) {
        return token(key, claims, alg, highS, "JWT");
    }

    private String token(SigningKey key, Consumer<ObjectNode> claims, String alg, boolean highS, String typ) {
        return ServiceJwts.bearer(key, USER, APPVIEW, NSID, h -> h.put("alg", alg).put("typ", typ), c -> {
            c.put("exp", NOW.plus(Duration.ofSeconds(60)).getEpochSecond()).put("iat", NOW.getEpochSecond());
            claims.accept(c);
        }, highS);
    }

    private static AuthConfig config() {
        return new AuthConfig(APPVIEW, "coves_appview", Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30), true, 1000);
    }
}
