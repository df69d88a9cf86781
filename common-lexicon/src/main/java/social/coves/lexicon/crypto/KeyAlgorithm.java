package social.coves.lexicon.crypto;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/** The two atproto signing curves, with their JWT name, multicodec prefix and legacy DID-document suite. */
public enum KeyAlgorithm {
    /** secp256k1 ("K-256"), multicodec {@code secp256k1-pub} 0xe7 (varint {@code e7 01}). */
    ES256K("secp256k1", new byte[] {(byte) 0xe7, 0x01}, "EcdsaSecp256k1VerificationKey2019"),
    /** NIST P-256 (secp256r1), multicodec {@code p256-pub} 0x1200 (varint {@code 80 24}). */
    ES256("secp256r1", new byte[] {(byte) 0x80, 0x24}, "EcdsaSecp256r1VerificationKey2019");

    private final String curveName;
    private final byte[] multicodecPrefix;
    private final String didDocSuite;
    private final ECDomainParameters domain;
    private final BigInteger halfOrder;

    KeyAlgorithm(String curveName, byte[] multicodecPrefix, String didDocSuite) {
        this.curveName = curveName;
        this.multicodecPrefix = multicodecPrefix;
        this.didDocSuite = didDocSuite;
        X9ECParameters params = CustomNamedCurves.getByName(curveName);
        this.domain = new ECDomainParameters(params);
        this.halfOrder = domain.getN().shiftRight(1);
    }

    /** The JWT {@code alg} value ({@code ES256K} / {@code ES256}). */
    public String jwtAlg() {
        return name();
    }

    public String curveName() {
        return curveName;
    }

    /** The unsigned-varint multicodec prefix of a compressed public key of this curve. */
    public byte[] multicodecPrefix() {
        return multicodecPrefix.clone();
    }

    /** The legacy DID-document verification method type ({@code EcdsaSecp256k1VerificationKey2019} ...). */
    public String didDocSuite() {
        return didDocSuite;
    }

    ECDomainParameters domain() {
        return domain;
    }

    BigInteger halfOrder() {
        return halfOrder;
    }

    boolean hasPrefix(byte[] bytes) {
        return bytes.length >= multicodecPrefix.length
                && Arrays.equals(bytes, 0, multicodecPrefix.length, multicodecPrefix, 0, multicodecPrefix.length);
    }

    public static Optional<KeyAlgorithm> fromJwtAlg(String alg) {
        return Arrays.stream(values()).filter(a -> a.name().equals(alg)).findFirst();
    }

    public static Optional<KeyAlgorithm> fromDidDocSuite(String suite) {
        return Arrays.stream(values()).filter(a -> a.didDocSuite.equals(suite)).findFirst();
    }
}
