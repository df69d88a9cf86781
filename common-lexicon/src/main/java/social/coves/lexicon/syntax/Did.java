package social.coves.lexicon.syntax;

/**
 * A decentralised identifier as atproto accepts it. {@link #parse} checks the generic DID syntax and, for the two
 * methods atproto blesses, the method rules: {@code did:plc:} is 24 base32 characters, {@code did:web:} is a host
 * name with an optional percent-encoded port and no path. Use {@link #isValidSyntax} where only the generic syntax
 * matters (for example the authority of an AT-URI).
 */
public record Did(String value) {

    public static final int MAX_LENGTH = 2048;
    private static final String TYPE = "DID";

    public Did {
        String reason = reason(value);
        if (reason != null) {
            throw Syntax.fail(TYPE, value, reason);
        }
    }

    public static Did parse(String value) {
        return new Did(value);
    }

    public static boolean isValid(String value) {
        return reason(value) == null;
    }

    /** Generic DID syntax only, without the plc/web method rules. */
    public static boolean isValidSyntax(String value) {
        return syntaxReason(value) == null;
    }

    public String method() {
        return value.substring(4, value.indexOf(':', 4));
    }

    public String methodSpecificId() {
        return value.substring(value.indexOf(':', 4) + 1);
    }

    @Override
    public String toString() {
        return value;
    }

    static String reason(String value) {
        String reason = syntaxReason(value);
        if (reason != null) {
            return reason;
        }
        int second = value.indexOf(':', 4);
        String method = value.substring(4, second);
        String id = value.substring(second + 1);
        return switch (method) {
            case "plc" -> plcReason(id);
            case "web" -> webReason(id);
            default -> null;
        };
    }

    private static String syntaxReason(String value) {
        if (value == null || value.isEmpty()) {
            return "empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        if (!value.startsWith("did:")) {
            return "must start with \"did:\"";
        }
        int second = value.indexOf(':', 4);
        if (second < 0) {
            return "missing method-specific identifier";
        }
        String method = value.substring(4, second);
        if (method.isEmpty() || !Syntax.allMatch(method, c -> c >= 'a' && c <= 'z')) {
            return "method must be lowercase letters";
        }
        String id = value.substring(second + 1);
        if (id.isEmpty()) {
            return "missing method-specific identifier";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '%') {
                if (i + 2 >= id.length() || !Syntax.isHexDigit(id.charAt(i + 1)) || !Syntax.isHexDigit(id.charAt(i + 2))) {
                    return "'%' must start a percent-encoded byte";
                }
            } else if (!(Syntax.isAlphanumeric(c) || c == '.' || c == '_' || c == ':' || c == '-')) {
                return "character '" + c + "' is not allowed";
            }
        }
        if (id.endsWith(":")) {
            return "must not end with ':'";
        }
        return null;
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
