package social.coves.lexicon.syntax;

/**
 * A generic URI as the lexicon {@code uri} format accepts it: a scheme, a colon and a non-empty remainder without
 * whitespace, at most 8192 characters. This is deliberately loose; it does not resolve or normalise.
 */
public record Uri(String value) {

    public static final int MAX_LENGTH = 8192;
    private static final String TYPE = "URI";

    public Uri {
        String reason = reason(value);
        if (reason != null) {
            throw Syntax.fail(TYPE, value, reason);
        }
    }

    public static Uri parse(String value) {
        return new Uri(value);
    }

    public static boolean isValid(String value) {
        return reason(value) == null;
    }

    public String scheme() {
        return value.substring(0, value.indexOf(':'));
    }

    @Override
    public String toString() {
        return value;
    }

    static String reason(String value) {
        if (value == null || value.isEmpty()) {
            return "empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        int colon = value.indexOf(':');
        if (colon < 1 || !Syntax.isAsciiLetter(value.charAt(0))) {
            return "must start with a scheme (a letter, then letters, digits, + . -) and ':'";
        }
        String scheme = value.substring(0, colon);
        if (!Syntax.allMatch(scheme, c -> Syntax.isAlphanumeric((char) c) || c == '+' || c == '.' || c == '-')) {
            return "scheme may only hold letters, digits, + . -";
        }
        String rest = value.substring(colon + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        if (rest.isEmpty() || rest.charAt(0) == '/') {
            return "nothing after the scheme";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                return "whitespace is not allowed";
            }
        }
        return null;
    }
}
