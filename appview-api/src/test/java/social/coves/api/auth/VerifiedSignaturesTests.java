package social.coves.api.auth;

import org.junit.jupiter.api.Test;
import social.coves.api.support.ServiceJwts;
import social.coves.lexicon.crypto.KeyAlgorithm;
import social.coves.lexicon.crypto.SigningKey;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What the verifier may skip: only a signature the same key already verified over the same bytes. */
class VerifiedSignaturesTests {

    private final SigningKey key = SigningKey.generate(KeyAlgorithm.ES256K);
    private final SigningKey other = SigningKey.generate(KeyAlgorithm.ES256K);
    private final AtomicInteger checks = new AtomicInteger();

    @Test
    void remembersAVerifiedSignatureForTheSameKeyAndBytesOnly() {
        VerifiedSignatures verified = new VerifiedSignatures(100, Duration.ofHours(1));
        ServiceJwt first = jwt("social.coves.feed.getTimeline");
        assertThat(verified.verifies(key.publicKey(), first, counted(true))).isTrue();
        assertThat(verified.verifies(key.publicKey(), first, counted(true))).isTrue();
        assertThat(checks).as("the second time is remembered").hasValue(1);

        assertThat(verified.verifies(other.publicKey(), first, counted(false))).as("another key").isFalse();
        assertThat(verified.verifies(key.publicKey(), jwt("social.coves.feed.getDiscover"), counted(true))).isTrue();
        assertThat(checks).as("another key and another token are checked").hasValue(3);
    }

    @Test
    void neverRemembersAFailureAndCanBeSwitchedOff() {
        VerifiedSignatures verified = new VerifiedSignatures(100, Duration.ofHours(1));
        ServiceJwt token = jwt("social.coves.feed.getTimeline");
        assertThat(verified.verifies(key.publicKey(), token, counted(false))).isFalse();
        assertThat(verified.verifies(key.publicKey(), token, counted(false))).isFalse();
        assertThat(checks).hasValue(2);

        VerifiedSignatures off = new VerifiedSignatures(0, Duration.ofHours(1));
        off.verifies(key.publicKey(), token, counted(true));
        off.verifies(key.publicKey(), token, counted(true));
        assertThat(checks).hasValue(4);
    }

    private BooleanSupplier counted(boolean result) {
        return () -> {
            checks.incrementAndGet();
            return result;
        };
    }

    private ServiceJwt jwt(String lxm) {
        long now = Instant.now().getEpochSecond();
        String header = ServiceJwts.bearer(key, "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "did:web:appview.coves.test", lxm,
                h -> { }, c -> c.put("exp", now + 60).put("iat", now), false);
        return ServiceJwt.parse(header.substring("Bearer ".length()));
    }
}
