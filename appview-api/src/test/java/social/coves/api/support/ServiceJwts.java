package social.coves.api.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import social.coves.lexicon.crypto.SigningKey;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Consumer;

/** Mints real service-auth JWTs, as a PDS does for {@code getServiceAuth} or {@code atproto-proxy}. */
public final class ServiceJwts {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ServiceJwts() {
    }

    public static String bearer(SigningKey key, String iss, String aud, String lxm) {
        return bearer(key, iss, aud, lxm, c -> { });
    }

    public static String bearer(SigningKey key, String iss, String aud, String lxm, Consumer<ObjectNode> adjust) {
        return bearer(key, iss, aud, lxm, h -> { }, adjust, false);
    }

    /**
     * A token whose header ({@code alg} of the key, {@code typ: JWT}) and claims the caller may change; with
     * {@code highS}, the signature's s is replaced by n - s: the same ECDSA signature in the high-S form atproto refuses.
     */
    public static String bearer(SigningKey key, String iss, String aud, String lxm, Consumer<ObjectNode> adjustHeader,
                                Consumer<ObjectNode> adjust, boolean highS) {
        long now = Instant.now().getEpochSecond();
        ObjectNode header = MAPPER.createObjectNode().put("alg", key.algorithm().jwtAlg()).put("typ", "JWT");
        adjustHeader.accept(header);
        ObjectNode payload = MAPPER.createObjectNode().put("iss", iss).put("aud", aud).put("exp", now + 60).put("iat", now)
                .put("lxm", lxm).put("jti", Long.toHexString(System.nanoTime()));
        adjust.accept(payload);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        byte[] signature = key.sign(input.getBytes(StandardCharsets.US_ASCII));
        if (highS) {
            BigInteger n = CustomNamedCurves.getByName(key.algorithm().curveName()).getN();
            byte[] high = n.subtract(new BigInteger(1, Arrays.copyOfRange(signature, 32, 64))).toByteArray();
            Arrays.fill(signature, 32, 64, (byte) 0);
            int length = Math.min(32, high.length);
            System.arraycopy(high, high.length - length, signature, 64 - length, length);
        }
        return "Bearer " + input + "." + b64.encodeToString(signature);
    }
}
