package social.coves.api.secrets;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static social.coves.api.secrets.SealingKeys.config;

class SecretBoxTests {

    private static final String OLD = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final String NEW = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

    @Test
    void sealsAndOpensWithoutTheSecretInTheCiphertext() {
        SecretBox box = new SecretBox(config("k1", OLD, null, null));
        byte[] sealed = box.seal("refresh-token-value", "community:gardening:refresh");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("refresh-token-value").contains("k1");
        assertThat(box.open(sealed, "community:gardening:refresh")).isEqualTo("refresh-token-value");
        assertThat(box.seal("same", "c")).isNotEqualTo(box.seal("same", "c")); // fresh nonce every time
    }

    @Test
    void aValueCopiedToAnotherPlaceOrTamperedWithDoesNotOpen() {
        SecretBox box = new SecretBox(config("k1", OLD, null, null));
        byte[] sealed = box.seal("secret", "community:a:access");
        assertThatThrownBy(() -> box.open(sealed, "community:b:access")).hasMessageContaining("does not open");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(sealed, "community:a:access")).hasMessageContaining("does not open");
    }

    @Test
    void duringARotationOldValuesOpenAndNewOnesUseTheNewKey() {
        byte[] before = new SecretBox(config("k1", OLD, null, null)).seal("password", "p");
        SecretBox rotated = new SecretBox(config("k2", NEW, "k1", OLD));
        assertThat(rotated.open(before, "p")).isEqualTo("password");
        assertThat(rotated.isCurrent(before)).isFalse();
        byte[] after = rotated.seal("password", "p");
        assertThat(rotated.isCurrent(after)).isTrue();
        SecretBox withoutOld = new SecretBox(config("k2", NEW, null, null));
        assertThatThrownBy(() -> withoutOld.open(before, "p")).hasMessageContaining("key id 'k1'");
    }

    @Test
    void refusesKeysOfTheWrongSize() {
        assertThatThrownBy(() -> new SecretBox(config("k1", Base64.getEncoder().encodeToString(new byte[16]), null, null)))
                .hasMessageContaining("32 bytes");
    }
}
