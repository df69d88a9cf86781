package social.coves.api.communities;

import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.Handle;

import java.util.Locale;

/**
 * How clients name a community: a DID, a handle ({@code c-gardening.coves.social}, optionally with a leading
 * {@code @}), or the display form {@code !gardening@coves.social}, which maps to the handle {@code c-gardening.coves.social}.
 */
public record CommunityIdentifier(String did, String handle) {

    public static CommunityIdentifier parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw XrpcException.invalidRequest("community is required");
        }
        String value = raw.trim();
        if (value.startsWith("did:")) {
            if (!Did.isValid(value)) {
                throw XrpcException.invalidRequest("community is not a valid DID: " + value);
            }
            return new CommunityIdentifier(value, null);
        }
        if (value.startsWith("!")) {
            int at = value.indexOf('@');
            if (at < 2 || at == value.length() - 1) {
                throw XrpcException.invalidRequest("community must look like !name@instance: " + value);
            }
            value = "c-" + value.substring(1, at) + "." + value.substring(at + 1);
        } else if (value.startsWith("@")) {
            value = value.substring(1);
        }
        String handle = value.toLowerCase(Locale.ROOT);
        if (!Handle.isValid(handle)) {
            throw XrpcException.invalidRequest("community is not a DID, handle or !name@instance: " + raw);
        }
        return new CommunityIdentifier(null, handle);
    }
}
