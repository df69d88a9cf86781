package social.coves.api.communities.write;

import social.coves.api.xrpc.XrpcException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A community's short name: the first label of its handle after {@code c-}, so a DNS label of letters, digits and
 * inner hyphens, stored lower-case. The reference PDS refuses handles whose first label is longer than 18
 * characters, which leaves 16 for the name ({@code CommunityWritesTests} checks the edge against a real PDS).
 */
public final class CommunityName {

    public static final int MAX_LENGTH = 16;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private CommunityName() {
    }

    public static String parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw XrpcException.invalidRequest("name is required");
        }
        String name = raw.trim().toLowerCase(Locale.ROOT);
        if (name.length() > MAX_LENGTH) {
            throw XrpcException.invalidRequest("name is longer than " + MAX_LENGTH
                    + " characters (the handle c-<name> must fit the PDS's 18-character first label)");
        }
        if (!LABEL.matcher(name).matches()) {
            throw XrpcException.invalidRequest("name must be letters, digits and inner hyphens (a DNS label): " + raw);
        }
        return name;
    }
}
