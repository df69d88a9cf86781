package social.coves.lexicon.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A K-256 or P-256 private key that signs like atproto: ECDSA over SHA-256, deterministic nonces (RFC 6979), raw
 * 64-byte {@code r||s} output, always low-S. Meant for tests and tools (e.g. minting service-auth JWTs); production
 * keys belong in a key store.
 */
public final class SigningKey {

    private static final int SCALAR_LENGTH = 32;

    private final KeyAlgorithm algorithm;
    private final BigInteger d;
    private final Multikey publicKey;

    private SigningKey(KeyAlgorithm algorithm, BigInteger d) {
        this.algorithm = algorithm;
        this.d = d;
        this.publicKey = new Multikey(algorithm, new FixedPointCombMultiplier().multiply(algorithm.domain().getG(), d));
    }

    /** A key from its 32-byte big-endian private scalar. */
    public static SigningKey fromPrivateKeyBytes(KeyAlgorithm algorithm, byte[] privateKey) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (privateKey == null || privateKey.length != SCALAR_LENGTH) {
            throw new InvalidKeyException("private key must be 32 bytes");
        }
        BigInteger d = new BigInteger(1, privateKey);
        if (d.signum() == 0 || d.compareTo(algorithm.domain().getN()) >= 0) {
            throw new InvalidKeyException("private key out of range for " + algorithm.curveName());
        }
        return new SigningKey(algorithm, d);
    }

    public static SigningKey generate(KeyAlgorithm algorithm) {
        return generate(algorithm, new SecureRandom());
    }

    public static SigningKey generate(KeyAlgorithm algorithm, SecureRandom random) {
        BigInteger n = algorithm.domain().getN();
        return new SigningKey(algorithm, BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), random));
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    public Multikey publicKey() {
        return publicKey;
    }

    public String didKey() {
        return publicKey.toDidKey();
    }

    public byte[] privateKeyBytes() {
        return BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, d);
    }

    /** Signs SHA-256({@code message}); returns 64 bytes {@code r||s} with {@code s} in the lower half of the order. */
    public byte[] sign(byte[] message) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, algorithm.domain()));
        BigInteger[] rs = signer.generateSignature(Multikey.sha256(message));
        BigInteger s = rs[1];
        if (s.compareTo(algorithm.halfOrder()) > 0) {
            s = algorithm.domain().getN().subtract(s);
        }
        byte[] signature = new byte[2 * SCALAR_LENGTH];
        System.arraycopy(BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, rs[0]), 0, signature, 0, SCALAR_LENGTH);
        System.arraycopy(BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, s), 0, signature, SCALAR_LENGTH, SCALAR_LENGTH);
        return signature;
    }

    @Override
    public String toString() {
        return "SigningKey[" + algorithm + " " + didKey() + "]"; // never the private scalar
    }
}
