package social.coves.api.auth;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.crypto.KeyAlgorithm;
import social.coves.lexicon.crypto.Multikey;
import social.coves.lexicon.crypto.SigningKey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** identity-service is played by a counting stand-in here: the point is how many requests reach it. */
class IdentityServiceKeysTests {

    static final String DID = "did:plc:keysissuerkeysissuerkeys";
    static final SigningKey KEY = SigningKey.generate(KeyAlgorithm.ES256K);

    static final class CountingIdentity implements IdentityServiceClient {
        final AtomicInteger resolves = new AtomicInteger();
        final AtomicInteger refreshes = new AtomicInteger();
        final List<UniEmitter<? super JsonNode>> pending = new CopyOnWriteArrayList<>();

        @Override
        public Uni<JsonNode> resolveDid(String did) {
            resolves.incrementAndGet();
            return Uni.createFrom().emitter(pending::add);
        }

        @Override
        public Uni<JsonNode> refreshIdentity(Map<String, String> input) {
            refreshes.incrementAndGet();
            return Uni.createFrom().item(identity());
        }

        @Override
        public Uni<JsonNode> verifyWellKnownDid(String domain, String did) {
            throw new UnsupportedOperationException("not used by the key look-ups");
        }

        @Override
        public Uni<JsonNode> resolveIdentity(String identifier) {
            throw new UnsupportedOperationException("not used by the key look-ups");
        }

        @Override
        public Uni<JsonNode> resolveOAuthServer(String identifier) {
            throw new UnsupportedOperationException("not used by the key look-ups");
        }

        void answerAll() {
            pending.forEach(e -> e.complete(identity()));
        }
    }

    static JsonNode identity() {
        ObjectNode body = new ObjectMapper().createObjectNode().put("did", DID);
        ObjectNode doc = body.putObject("didDoc").put("id", DID);
        doc.putArray("verificationMethod").addObject().put("id", DID + "#atproto").put("type", "Multikey")
                .put("controller", DID).put("publicKeyMultibase", KEY.publicKey().toMultibase());
        return body;
    }

    private final CountingIdentity identity = new CountingIdentity();
    private final IdentityServiceKeys keys = new IdentityServiceKeys(identity,
            new AuthConfig("did:web:localhost", "coves_appview", Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(1), true, 1000),
            new SimpleMeterRegistry());

    @Test
    void aBurstOfLookUpsForOneIssuerIsOneRequest() {
        List<Multikey> answers = new CopyOnWriteArrayList<>();
        List<Uni<Multikey>> lookUps = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lookUps.add(keys.signingKey(DID, false));
        }
        lookUps.forEach(u -> u.subscribe().with(answers::add));
        assertThat(identity.resolves).hasValue(1);
        identity.answerAll();
        assertThat(answers).hasSize(50).allSatisfy(k -> assertThat(k.toMultibase()).isEqualTo(KEY.publicKey().toMultibase()));
        keys.signingKey(DID, false).await().indefinitely();
        assertThat(identity.resolves).hasValue(1);
    }

    @Test
    void aForcedRefreshIsRateLimitedPerIssuer() {
        keys.signingKey(DID, true).await().indefinitely();
        keys.signingKey(DID, true).await().indefinitely();
        assertThat(identity.refreshes).hasValue(1);
        keys.signingKey(DID, false).await().indefinitely();
        assertThat(identity.resolves).hasValue(0);
    }
}
