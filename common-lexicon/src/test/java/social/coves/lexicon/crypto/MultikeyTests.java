package social.coves.lexicon.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultikeyTests {

    private static final byte[] MESSAGE = "hello coves".getBytes(StandardCharsets.UTF_8);

    @Test
    void base58btcKnownVectors() {
        assertThat(Base58Btc.encode(new byte[0])).isEmpty();
        assertThat(Base58Btc.encode("hello world".getBytes(StandardCharsets.US_ASCII))).isEqualTo("StV1DL6CwTryKyV");
        assertThat(Base58Btc.encode(new byte[] {0, 0, 0x28, 0x7f, (byte) 0xb4, (byte) 0xcd})).isEqualTo("11233QC4");
        assertThat(Base58Btc.decode("11233QC4")).containsExactly(0, 0, 0x28, 0x7f, 0xb4, 0xcd);
        assertThat(Base58Btc.decode("1")).containsExactly(0);
        assertThat(new String(Base58Btc.decode("StV1DL6CwTryKyV"), StandardCharsets.US_ASCII)).isEqualTo("hello world");
        assertThatThrownBy(() -> Base58Btc.decode("0OIl")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0'");
    }

    @Test
    void base58btcRoundTripsRandomBytes() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            if (bytes.length > 2 && i % 3 == 0) {
                bytes[0] = 0;
                bytes[1] = 0;
            }
            assertThat(Base58Btc.decode(Base58Btc.encode(bytes))).containsExactly(bytes);
        }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void didKeyAndLegacyFormsRoundTrip(KeyAlgorithm algorithm) {
        Multikey key = SigningKey.generate(algorithm).publicKey();

        assertThat(key.toDidKey()).startsWith(algorithm == KeyAlgorithm.ES256K ? "did:key:zQ3s" : "did:key:zDna");
        assertThat(Multikey.parseDidKey(key.toDidKey())).isEqualTo(key);
        assertThat(Multikey.parseMultibase(key.toMultibase())).isEqualTo(key);
        assertThat(Multikey.fromDidDocument("Multikey", key.toMultibase())).isEqualTo(key);
        // legacy suites: uncompressed (what old DID documents hold) and compressed bare points
        assertThat(Multikey.parseLegacy(algorithm.didDocSuite(), key.toLegacyMultibase())).isEqualTo(key);
        assertThat(Multikey.parseLegacy(algorithm.didDocSuite(), "z" + Base58Btc.encode(key.compressed()))).isEqualTo(key);
        assertThat(key.compressed()).hasSize(33);
        assertThat(key.uncompressed()).hasSize(65);
    }

    @Test
    void rejectsMalformedKeys() {
        Multikey k256 = SigningKey.generate(KeyAlgorithm.ES256K).publicKey();
        byte[] compressed = k256.compressed();

        assertThatThrownBy(() -> Multikey.parseDidKey("did:web:example.com")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> Multikey.parseMultibase("f" + HexFormat.of().formatHex(compressed)))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("base58btc");
        assertThatThrownBy(() -> Multikey.parseMultibase("z0OIl")).isInstanceOf(InvalidKeyException.class);
        // ed25519-pub (0xed 0x01) is not an atproto signing key
        assertThatThrownBy(() -> Multikey.parseMultibase("z" + Base58Btc.encode(concat(new byte[] {(byte) 0xed, 0x01}, new byte[32]))))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("ed01");
        // truncated point
        assertThatThrownBy(() -> Multikey.parseMultibase("z" + Base58Btc.encode(concat(KeyAlgorithm.ES256K.multicodecPrefix(),
                Arrays.copyOf(compressed, 32))))).isInstanceOf(InvalidKeyException.class).hasMessageContaining("33");
        // uncompressed point behind a multicodec prefix: Multikey requires compressed
        assertThatThrownBy(() -> Multikey.parseMultibase("z" + Base58Btc.encode(concat(KeyAlgorithm.ES256K.multicodecPrefix(),
                k256.uncompressed())))).isInstanceOf(InvalidKeyException.class);
        // x = 5 has no y on secp256k1 (5^3 + 7 = 132 is not a square mod p); x = p is out of range
        byte[] offCurve = new byte[33];
        offCurve[0] = 0x02;
        offCurve[32] = 5;
        assertThatThrownBy(() -> Multikey.fromEncodedPoint(KeyAlgorithm.ES256K, offCurve)).isInstanceOf(InvalidKeyException.class);
        byte[] uncompressedOffCurve = k256.uncompressed();
        uncompressedOffCurve[64] ^= 1;
        assertThatThrownBy(() -> Multikey.fromEncodedPoint(KeyAlgorithm.ES256K, uncompressedOffCurve)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> Multikey.parseLegacy("Ed25519VerificationKey2020", k256.toLegacyMultibase()))
                .isInstanceOf(InvalidKeyException.class).hasMessageContaining("Ed25519VerificationKey2020");
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void signaturesAreDeterministicLowSAndVerify(KeyAlgorithm algorithm) {
        SigningKey key = SigningKey.generate(algorithm);
        BigInteger half = algorithm.halfOrder();
        for (int i = 0; i < 50; i++) {
            byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
            byte[] signature = key.sign(message);
            assertThat(signature).hasSize(64);
            assertThat(new BigInteger(1, Arrays.copyOfRange(signature, 32, 64))).isLessThanOrEqualTo(half);
            assertThat(key.sign(message)).containsExactly(signature);
            assertThat(key.publicKey().verify(message, signature, LowS.REQUIRED)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void highSIsRejectedOnlyWhenLowSIsRequired(KeyAlgorithm algorithm) {
        SigningKey key = SigningKey.generate(algorithm);
        byte[] signature = key.sign(MESSAGE);
        BigInteger n = algorithm.domain().getN();
        BigInteger highS = n.subtract(new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)));
        byte[] malleated = concat(Arrays.copyOf(signature, 32), org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, highS));

        assertThat(key.publicKey().verify(MESSAGE, malleated, LowS.ALLOWED)).isTrue();
        assertThat(key.publicKey().verify(MESSAGE, malleated, LowS.REQUIRED)).isFalse();
    }

    @Test
    void rejectsWrongMessageKeyLengthAndScalars() {
        SigningKey key = SigningKey.generate(KeyAlgorithm.ES256);
        byte[] signature = key.sign(MESSAGE);
        Multikey other = SigningKey.generate(KeyAlgorithm.ES256).publicKey();

        assertThat(key.publicKey().verify("hello coveS".getBytes(StandardCharsets.UTF_8), signature, LowS.ALLOWED)).isFalse();
        assertThat(other.verify(MESSAGE, signature, LowS.ALLOWED)).isFalse();
        assertThat(key.publicKey().verify(MESSAGE, Arrays.copyOf(signature, 63), LowS.ALLOWED)).isFalse();
        assertThat(key.publicKey().verify(MESSAGE, Arrays.copyOf(signature, 65), LowS.ALLOWED)).isFalse();
        assertThat(key.publicKey().verify(MESSAGE, new byte[64], LowS.ALLOWED)).isFalse();
        byte[] rIsOrder = concat(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, KeyAlgorithm.ES256.domain().getN()),
                Arrays.copyOfRange(signature, 32, 64));
        assertThat(key.publicKey().verify(MESSAGE, rIsOrder, LowS.ALLOWED)).isFalse();
        // a K-256 key never verifies a P-256 signature
        SigningKey k256 = SigningKey.fromPrivateKeyBytes(KeyAlgorithm.ES256K, key.privateKeyBytes());
        assertThat(k256.publicKey().verify(MESSAGE, signature, LowS.ALLOWED)).isFalse();
    }

    @Test
    void privateKeysRoundTripAndRangeIsChecked() {
        SigningKey key = SigningKey.generate(KeyAlgorithm.ES256K);
        assertThat(SigningKey.fromPrivateKeyBytes(KeyAlgorithm.ES256K, key.privateKeyBytes()).didKey()).isEqualTo(key.didKey());
        assertThat(key.toString()).doesNotContain(HexFormat.of().formatHex(key.privateKeyBytes()));
        assertThatThrownBy(() -> SigningKey.fromPrivateKeyBytes(KeyAlgorithm.ES256K, new byte[32])).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> SigningKey.fromPrivateKeyBytes(KeyAlgorithm.ES256K, new byte[31])).isInstanceOf(InvalidKeyException.class);
        byte[] order = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, KeyAlgorithm.ES256K.domain().getN());
        assertThatThrownBy(() -> SigningKey.fromPrivateKeyBytes(KeyAlgorithm.ES256K, order)).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void algorithmLookups() {
        assertThat(KeyAlgorithm.fromJwtAlg("ES256K")).contains(KeyAlgorithm.ES256K);
        assertThat(KeyAlgorithm.fromJwtAlg("ES256")).contains(KeyAlgorithm.ES256);
        assertThat(KeyAlgorithm.fromJwtAlg("RS256")).isEmpty();
        assertThat(KeyAlgorithm.fromDidDocSuite("EcdsaSecp256r1VerificationKey2019")).contains(KeyAlgorithm.ES256);
        assertThat(KeyAlgorithm.ES256K.multicodecPrefix()).containsExactly(0xe7, 0x01);
        assertThat(KeyAlgorithm.ES256.multicodecPrefix()).containsExactly(0x80, 0x24);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
