package social.coves.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import social.coves.api.metrics.CacheMetrics;
import social.coves.lexicon.crypto.Multikey;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Signatures already verified, so a client that presents the same token again (a {@code getServiceAuth} token reused
 * until it expires) costs a SHA-256 instead of an ECDSA verification, the largest cost of an authenticated read.
 * Keyed by the issuer's key and a digest of the signed bytes and the signature: a rotated key or any changed byte
 * misses. Only the signature check is remembered, for at most the longest accepted token lifetime; the claims
 * ({@code exp}, {@code aud}, {@code lxm}, …) are checked on every request before this is asked.
 */
final class VerifiedSignatures {

    private record Entry(Multikey key, Digest digest) {
    }

    /** A SHA-256 with value equality. */
    private record Digest(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private final Cache<Entry, Boolean> verified;

    /** {@code maxEntries} 0 remembers nothing: every request verifies its signature. */
    VerifiedSignatures(long maxEntries, Duration ttl) {
        this.verified = maxEntries <= 0 ? null : Caffeine.newBuilder().recordStats().maximumSize(maxEntries).expireAfterWrite(ttl).build();
    }

    /** Its hits and misses on {@code /q/metrics} (cache {@code verified_signatures}). */
    void monitor(MeterRegistry metrics) {
        CacheMetrics.monitor(metrics, "verified_signatures", verified);
    }

    /** True when {@code key} signed this token: remembered, or {@code verify} says so now (and is remembered). */
    boolean verifies(Multikey key, ServiceJwt jwt, BooleanSupplier verify) {
        if (verified == null) {
            return verify.getAsBoolean();
        }
        Entry entry = new Entry(key, digest(jwt));
        if (verified.getIfPresent(entry) != null) {
            return true;
        }
        boolean ok = verify.getAsBoolean();
        if (ok) {
            verified.put(entry, Boolean.TRUE);
        }
        return ok;
    }

    private static Digest digest(ServiceJwt jwt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(jwt.signingInput());
            sha.update((byte) '.');
            sha.update(jwt.signature());
            return new Digest(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
