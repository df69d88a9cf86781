package social.coves.lexicon.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import social.coves.lexicon.fixtures.SharedFixtures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case of {@code atproto-interop/crypto/}, read in place: signature fixtures and did:key fixtures. */
class CryptoInteropConformanceTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN_TAGS = Set.of("high-s", "der-encoded");

    @TestFactory
    List<DynamicTest> signatureFixtures() {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode cases = read("atproto-interop/crypto/signature-fixtures.json");
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            tests.add(DynamicTest.dynamicTest("signature-fixtures[" + i + "] " + c.path("comment").asText(), () -> checkSignatureCase(c)));
        }
        assertThat(tests).as("signature fixture cases").hasSizeGreaterThanOrEqualTo(6);
        return tests;
    }

    @TestFactory
    List<DynamicTest> didKeyFixtures() {
        List<DynamicTest> tests = new ArrayList<>();
        tests.addAll(didKeyCases("w3c_didkey_K256.json", KeyAlgorithm.ES256K, c -> HexFormat.of().parseHex(c.path("privateKeyBytesHex").asText())));
        tests.addAll(didKeyCases("w3c_didkey_P256.json", KeyAlgorithm.ES256, c -> Base58Btc.decode(c.path("privateKeyBytesBase58").asText())));
        return tests;
    }

    private static void checkSignatureCase(JsonNode c) {
        byte[] message = base64(c.path("messageBase64").asText());
        byte[] signature = base64(c.path("signatureBase64").asText());
        boolean valid = c.path("validSignature").asBoolean();
        List<String> tags = new ArrayList<>();
        c.path("tags").forEach(t -> tags.add(t.asText()));
        assertThat(KNOWN_TAGS).as("tags this test knows how to treat").containsAll(tags);

        Multikey fromDidKey = Multikey.parseDidKey(c.path("publicKeyDid").asText());
        Multikey fromLegacy = Multikey.parseLegacy(c.path("didDocSuite").asText(), c.path("publicKeyMultibase").asText());
        assertThat(fromDidKey.algorithm().jwtAlg()).isEqualTo(c.path("algorithm").asText());
        assertThat(fromLegacy).isEqualTo(fromDidKey);
        assertThat(Multikey.fromDidDocument(c.path("didDocSuite").asText(), c.path("publicKeyMultibase").asText())).isEqualTo(fromDidKey);
        assertThat(fromDidKey.toDidKey()).isEqualTo(c.path("publicKeyDid").asText());
        assertThat(Multikey.parseMultibase(fromDidKey.toMultibase())).isEqualTo(fromDidKey);

        assertThat(fromDidKey.verify(message, signature, LowS.REQUIRED)).as("atproto (low-S required) verdict").isEqualTo(valid);
        assertThat(fromLegacy.verify(message, signature, LowS.REQUIRED)).as("legacy key verdict").isEqualTo(valid);
        // JWT verification accepts high-S, but never DER and never a signature that is invalid otherwise
        boolean validForJwt = valid || (tags.contains("high-s") && !tags.contains("der-encoded"));
        assertThat(fromDidKey.verify(message, signature, LowS.ALLOWED)).as("JWT (low-S allowed) verdict").isEqualTo(validForJwt);
        if (!valid) {
            assertThat(tags).as("an invalid case says why").isNotEmpty();
        }
    }

    private static List<DynamicTest> didKeyCases(String file, KeyAlgorithm algorithm, Function<JsonNode, byte[]> privateKey) {
        JsonNode cases = read("atproto-interop/crypto/" + file);
        assertThat(cases.size()).as(file + " cases").isPositive();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String didKey = c.path("publicDidKey").asText();
            tests.add(DynamicTest.dynamicTest(file + "[" + i + "] " + didKey, () -> {
                SigningKey signingKey = SigningKey.fromPrivateKeyBytes(algorithm, privateKey.apply(c));
                assertThat(signingKey.didKey()).as("private key -> did:key").isEqualTo(didKey);

                Multikey parsed = Multikey.parseDidKey(didKey);
                assertThat(parsed.algorithm()).isEqualTo(algorithm);
                assertThat(parsed).as("did:key -> public key").isEqualTo(signingKey.publicKey());
                assertThat(parsed.toDidKey()).isEqualTo(didKey);

                byte[] message = ("conformance " + didKey).getBytes(StandardCharsets.UTF_8);
                assertThat(parsed.verify(message, signingKey.sign(message), LowS.REQUIRED)).isTrue();
            }));
        }
        return tests;
    }

    private static byte[] base64(String text) {
        return Base64.getDecoder().decode(text); // the fixtures use the standard alphabet without padding
    }

    private static JsonNode read(String relative) {
        Path path = SharedFixtures.resolve(relative);
        try {
            JsonNode node = JSON.readTree(path.toFile());
            assertThat(node.isArray()).as(relative + " is a JSON array").isTrue();
            return node;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
