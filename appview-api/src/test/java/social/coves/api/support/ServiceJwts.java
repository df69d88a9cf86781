package social.coves.api.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.lexicon.crypto.SigningKey;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
        long now = Instant.now().getEpochSecond();
        ObjectNode header = MAPPER.createObjectNode().put("alg", key.algorithm().jwtAlg()).put("typ", "JWT");
        ObjectNode payload = MAPPER.createObjectNode().put("iss", iss).put("aud", aud).put("exp", now + 60).put("iat", now)
                .put("lxm", lxm).put("jti", Long.toHexString(System.nanoTime()));
        adjust.accept(payload);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return "Bearer " + input + "." + b64.encodeToString(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }
}
