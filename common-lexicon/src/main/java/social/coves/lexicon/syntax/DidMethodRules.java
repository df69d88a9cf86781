package social.coves.lexicon.syntax;

import java.util.Optional;

/**
 * The rules of the two DID methods atproto supports, on top of the generic {@link Did} syntax: a {@code did:plc}
 * identifier is 24 characters of lowercase base32; a {@code did:web} identifier is a host name, optionally with a
 * percent-encoded port ({@code %3A}), and no path. They belong where a DID is resolved (identity-service): records,
 * lexicon string formats, {@code at-identifier}s and AT-URIs only need the generic syntax, so a record may name
 * {@code did:plc:test123}; resolving it is what fails.
 */
public final class DidMethodRules {

    private DidMethodRules() {
    }

    /** Why {@code did} breaks the rules of its method, or empty when it does not (other methods have no rules here). */
    public static Optional<String> violation(Did did) {
        return Optional.ofNullable(switch (did.method()) {
            case "plc" -> plcReason(did.methodSpecificId());
            case "web" -> webReason(did.methodSpecificId());
            default -> null;
        });
    }

    /** True when {@code value} is a DID in the generic syntax that also meets its method's rules. */
    public static boolean isValid(String value) {
        return Did.isValid(value) && violation(Did.parse(value)).isEmpty();
    }

    private static String plcReason(String id) {
        if (id.length() != 24 || !Syntax.allMatch(id, c -> (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
            return "did:plc identifier must be 24 characters of lowercase base32 (a-z, 2-7)";
        }
        return null;
    }

    private static String webReason(String id) {
        String host = id;
        int port = id.indexOf("%3A");
        if (port < 0) {
            port = id.indexOf("%3a");
        }
        if (port >= 0) {
            host = id.substring(0, port);
            String digits = id.substring(port + 3);
            if (digits.isEmpty() || digits.length() > 5 || !Syntax.allMatch(digits, c -> Syntax.isDigit((char) c))) {
                return "did:web port must be digits after %3A";
            }
        }
        if (host.indexOf(':') >= 0) {
            return "did:web with a path is not supported by atproto";
        }
        if (host.length() > Handle.MAX_LENGTH) {
            return "did:web host longer than 253 characters";
        }
        for (String label : host.split("\\.", -1)) {
            if (!Syntax.isDnsLabel(label)) {
                return "did:web host label \"" + label + "\" is not a DNS label";
            }
        }
        return null;
    }
}
