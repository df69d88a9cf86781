package social.coves.lexicon.syntax;

/** Character-class helpers shared by the parsers (ASCII only: every atproto identifier is ASCII). */
final class Syntax {

    private Syntax() {
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlphanumeric(char c) {
        return isAsciiLetter(c) || isDigit(c);
    }

    static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean allMatch(String s, java.util.function.IntPredicate allowed) {
        for (int i = 0; i < s.length(); i++) {
            if (!allowed.test(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A DNS label: 1-63 letters, digits or hyphens, not starting or ending with a hyphen. */
    static boolean isDnsLabel(String label) {
        int n = label.length();
        if (n < 1 || n > 63 || label.charAt(0) == '-' || label.charAt(n - 1) == '-') {
            return false;
        }
        return allMatch(label, c -> isAlphanumeric((char) c) || c == '-');
    }

    static InvalidSyntaxException fail(String type, String input, String reason) {
        return new InvalidSyntaxException(type, input, reason);
    }
}
