package social.coves.identity.safety;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A complete, size-capped HTTP response. Header names are lower-case. */
public record HttpResult(int status, Map<String, String> headers, byte[] body) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
