package social.coves.api.actors;

import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.Handle;

import java.util.Locale;

/** The {@code actor} parameter: a DID or a handle (an optional leading {@code @} is accepted). */
public record ActorIdentifier(String did, String handle) {

    static final int MAX_LENGTH = 2048;

    public static ActorIdentifier parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw XrpcException.invalidRequest("actor is required (a DID or a handle)");
        }
        String value = raw.trim();
        if (value.length() > MAX_LENGTH) {
            throw XrpcException.invalidRequest("actor is longer than " + MAX_LENGTH + " characters");
        }
        if (value.startsWith("did:")) {
            if (!Did.isValid(value)) {
                throw XrpcException.invalidRequest("actor is not a valid DID: " + value);
            }
            return new ActorIdentifier(value, null);
        }
        String handle = (value.startsWith("@") ? value.substring(1) : value).toLowerCase(Locale.ROOT);
        if (!Handle.isValid(handle)) {
            throw XrpcException.invalidRequest("actor is not a DID or a handle: " + raw);
        }
        return new ActorIdentifier(null, handle);
    }
}
