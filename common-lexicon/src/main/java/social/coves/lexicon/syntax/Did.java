package social.coves.lexicon.syntax;

/**
 * A decentralised identifier in atproto's generic DID syntax: {@code did:}, a method of lowercase letters, {@code :},
 * and a method-specific identifier of ASCII letters, digits, {@code . _ : -} and percent-encoded bytes, not ending
 * in {@code :}; at most 2048 characters. This is all a record, a lexicon {@code did} format, an
 * {@code at-identifier} or an AT-URI authority asks for, so {@code did:plc:test123} and {@code did:example:abc} are
 * valid here. The rules of the methods themselves ({@code did:plc}'s 24 base32 characters, {@code did:web}'s host
 * name) are in {@link DidMethodRules}, for where a DID is resolved.
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

    private static String reason(String value) {
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
}
