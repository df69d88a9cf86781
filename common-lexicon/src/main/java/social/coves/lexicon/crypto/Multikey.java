package social.coves.lexicon.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An atproto public signing key (K-256 or P-256), as found in DID documents ({@code publicKeyMultibase}) and
 * {@code did:key} identifiers, able to verify raw {@code r||s} ECDSA-SHA256 signatures.
 *
 * <p>Accepted forms:
 * <ul>
 *   <li>{@link #parseMultibase Multikey}: {@code z} + base58btc(multicodec varint + 33-byte compressed point);</li>
 *   <li>{@link #parseDidKey did:key}: {@code did:key:} + the Multikey form;</li>
 *   <li>{@link #parseLegacy legacy} DID-document keys ({@code EcdsaSecp256k1VerificationKey2019},
 *       {@code EcdsaSecp256r1VerificationKey2019}): {@code z} + base58btc(point), no multicodec prefix, the point
 *       compressed or uncompressed.</li>
 * </ul>
 *
 * @param algorithm the curve / JWT algorithm
 * @param point     the validated curve point (never infinity)
 */
public record Multikey(KeyAlgorithm algorithm, ECPoint point) {

    public static final String DID_KEY_PREFIX = "did:key:";
    /** The current DID-document verification method type, whose key carries a multicodec prefix. */
    public static final String MULTIKEY_TYPE = "Multikey";

    private static final int SIGNATURE_LENGTH = 64;
    private static final int SCALAR_LENGTH = 32;
    private static final int COMPRESSED_LENGTH = 33;
    private static final int UNCOMPRESSED_LENGTH = 65;

    public Multikey {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(point, "point");
        point = point.normalize();
        if (point.isInfinity() || !point.isValid() || !point.getCurve().equals(algorithm.domain().getCurve())) {
            throw new InvalidKeyException("not a valid " + algorithm.curveName() + " public key");
        }
    }

    /** A key from an SEC1-encoded point (33 bytes compressed or 65 bytes uncompressed). */
    public static Multikey fromEncodedPoint(KeyAlgorithm algorithm, byte[] encoded) {
        if (encoded.length != COMPRESSED_LENGTH && encoded.length != UNCOMPRESSED_LENGTH) {
            throw new InvalidKeyException(algorithm.curveName() + " point must be 33 (compressed) or 65 (uncompressed) bytes, got "
                    + encoded.length);
        }
        try {
            return new Multikey(algorithm, algorithm.domain().getCurve().decodePoint(encoded));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("not a point on " + algorithm.curveName() + ": " + e.getMessage(), e);
        }
    }

    /** Decodes a {@code publicKeyMultibase} in the Multikey form (multicodec prefix, compressed point). */
    public static Multikey parseMultibase(String multibase) {
        byte[] bytes = decodeBase58Multibase(multibase);
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            if (algorithm.hasPrefix(bytes)) {
                byte[] point = Arrays.copyOfRange(bytes, algorithm.multicodecPrefix().length, bytes.length);
                if (point.length != COMPRESSED_LENGTH) {
                    throw new InvalidKeyException("multikey " + algorithm.curveName() + " point must be 33 compressed bytes, got "
                            + point.length);
                }
                return fromEncodedPoint(algorithm, point);
            }
        }
        throw new InvalidKeyException("unsupported multicodec prefix "
                + HexFormat.of().formatHex(bytes, 0, Math.min(2, bytes.length)) + " (expected e701 secp256k1-pub or 8024 p256-pub)");
    }

    /** Decodes {@code did:key:z...}. */
    public static Multikey parseDidKey(String didKey) {
        if (didKey == null || !didKey.startsWith(DID_KEY_PREFIX)) {
            throw new InvalidKeyException("not a did:key: " + didKey);
        }
        return parseMultibase(didKey.substring(DID_KEY_PREFIX.length()));
    }

    /** Decodes a legacy DID-document key: the suite names the curve, the multibase holds the bare point. */
    public static Multikey parseLegacy(String didDocSuite, String multibase) {
        KeyAlgorithm algorithm = KeyAlgorithm.fromDidDocSuite(didDocSuite)
                .orElseThrow(() -> new InvalidKeyException("unsupported verification method type " + didDocSuite));
        return fromEncodedPoint(algorithm, decodeBase58Multibase(multibase));
    }

    /**
     * Decodes a DID-document verification method by its {@code type}: {@code Multikey} or one of the legacy suites.
     */
    public static Multikey fromDidDocument(String type, String publicKeyMultibase) {
        return MULTIKEY_TYPE.equals(type) ? parseMultibase(publicKeyMultibase) : parseLegacy(type, publicKeyMultibase);
    }

    public byte[] compressed() {
        return point.getEncoded(true);
    }

    public byte[] uncompressed() {
        return point.getEncoded(false);
    }

    /** The Multikey {@code publicKeyMultibase}: {@code z} + base58btc(multicodec prefix + compressed point). */
    public String toMultibase() {
        byte[] prefix = algorithm.multicodecPrefix();
        byte[] compressed = compressed();
        byte[] bytes = Arrays.copyOf(prefix, prefix.length + compressed.length);
        System.arraycopy(compressed, 0, bytes, prefix.length, compressed.length);
        return "z" + Base58Btc.encode(bytes);
    }

    public String toDidKey() {
        return DID_KEY_PREFIX + toMultibase();
    }

    /** The legacy DID-document form: {@code z} + base58btc(uncompressed point), no multicodec prefix. */
    public String toLegacyMultibase() {
        return "z" + Base58Btc.encode(uncompressed());
    }

    /**
     * Verifies a raw 64-byte {@code r||s} ECDSA signature over SHA-256({@code message}). Anything else (DER
     * encoding, wrong length, zero or out-of-range scalars, high S when {@code lowS} is {@link LowS#REQUIRED}) is
     * simply invalid.
     */
    public boolean verify(byte[] message, byte[] signature, LowS lowS) {
        Objects.requireNonNull(lowS, "lowS");
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, SCALAR_LENGTH));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, SCALAR_LENGTH, SIGNATURE_LENGTH));
        BigInteger n = algorithm.domain().getN();
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
            return false;
        }
        if (lowS == LowS.REQUIRED && s.compareTo(algorithm.halfOrder()) > 0) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(point, algorithm.domain()));
        return verifier.verifySignature(sha256(message), r, s);
    }

    static byte[] sha256(byte[] message) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(message, 0, message.length);
        byte[] hash = new byte[digest.getDigestSize()];
        digest.doFinal(hash, 0);
        return hash;
    }

    private static byte[] decodeBase58Multibase(String multibase) {
        if (multibase == null || multibase.length() < 2 || multibase.charAt(0) != 'z') {
            throw new InvalidKeyException("key must be base58btc multibase (prefix 'z'): " + multibase);
        }
        try {
            return Base58Btc.decode(multibase.substring(1));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Multikey[" + algorithm + " " + toDidKey() + "]";
    }
}
