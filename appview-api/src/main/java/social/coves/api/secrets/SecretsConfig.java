package social.coves.api.secrets;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Keys that seal what the API keeps at rest (community credentials): AES-256, base64, from a Secret
 * ({@code COVES_API_SEALING_KEY}). During a rotation the old key stays readable as {@code previous-key}.
 */
@ConfigMapping(prefix = "coves.api.sealing")
public interface SecretsConfig {

    /** The current key id, written into every ciphertext. */
    @WithDefault("k1")
    String keyId();

    /** Base64 of 32 random bytes. */
    String key();

    Optional<String> previousKeyId();

    Optional<String> previousKey();
}
