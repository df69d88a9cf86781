package social.coves.api.secrets;

import java.util.Optional;

/** Sealing-key configurations for tests: a current key and, during a rotation, the previous one. */
public final class SealingKeys {

    private SealingKeys() {
    }

    public static SecretsConfig config(String id, String key, String previousId, String previous) {
        return new SecretsConfig() {
            public String keyId() { return id; }
            public String key() { return key; }
            public Optional<String> previousKeyId() { return Optional.ofNullable(previousId); }
            public Optional<String> previousKey() { return Optional.ofNullable(previous); }
        };
    }

    /** A box that seals with {@code key} only. */
    public static SecretBox only(String id, String key) {
        return new SecretBox(config(id, key, null, null));
    }
}
