package social.coves.api.secrets;

import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * AES-256-GCM sealing of secrets at rest. A sealed value is {@code 1 | len(keyId) | keyId | nonce(12) | ciphertext+tag};
 * the key id says which key opens it, so values sealed before a rotation stay readable while the previous key is
 * configured. The associated data binds a value to where it is stored (e.g. {@code community:gardening:refresh}):
 * a ciphertext copied into another row or column does not open.
 */
@ApplicationScoped
public class SecretBox {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys = new HashMap<>();

    public SecretBox(SecretsConfig config) {
        this.currentKeyId = config.keyId();
        keys.put(config.keyId(), aesKey(config.keyId(), config.key()));
        config.previousKey().ifPresent(previous -> {
            String id = config.previousKeyId().orElseThrow(() -> new IllegalStateException(
                    "coves.api.sealing.previous-key needs coves.api.sealing.previous-key-id"));
            if (id.equals(currentKeyId)) {
                throw new IllegalStateException("coves.api.sealing.previous-key-id must differ from key-id");
            }
            keys.put(id, aesKey(id, previous));
        });
    }

    public byte[] seal(String plaintext, String context) {
        byte[] id = currentKeyId.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(2 + id.length + NONCE_BYTES + sealed.length)
                    .put(VERSION).put((byte) id.length).put(id).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public String open(byte[] sealed, String context) {
        ByteBuffer in = ByteBuffer.wrap(sealed);
        if (sealed.length < 2 + NONCE_BYTES || in.get() != VERSION) {
            throw new IllegalStateException("not a sealed value of a known version (" + context + ")");
        }
        byte[] id = new byte[in.get() & 0xff];
        in.get(id);
        String keyId = new String(id, StandardCharsets.UTF_8);
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("value sealed with key id '" + keyId + "', which is not configured ("
                    + context + "); set coves.api.sealing.previous-key(-id)");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] body = new byte[in.remaining()];
        in.get(body);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(body), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("sealed value does not open (tampered, or sealed for another place): " + context);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Whether a value was sealed with the current key (if not, re-seal it when next written). */
    public boolean isCurrent(byte[] sealed) {
        int length = sealed[1] & 0xff;
        return new String(sealed, 2, length, StandardCharsets.UTF_8).equals(currentKeyId);
    }

    private static SecretKeySpec aesKey(String id, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("sealing key '" + id + "' is not base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("sealing key '" + id + "' must be 32 bytes (AES-256), got " + bytes.length);
        }
        if (id.isEmpty() || id.length() > 64) {
            throw new IllegalStateException("a sealing key id must be 1-64 characters");
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
