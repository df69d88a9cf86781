package social.coves.lexicon.syntax;

/**
 * The string form of a CID as atproto accepts it in records: a multibase string of 8-256 characters of
 * {@code A-Za-z0-9+=}. CIDv0 ({@code Qm...}) is not allowed. This is a syntax check; it does not decode the CID.
 */
public record Cid(String value) {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 256;
    private static final String TYPE = "CID";

    public Cid {
        String reason = reason(value);
        if (reason != null) {
            throw Syntax.fail(TYPE, value, reason);
        }
    }

    public static Cid parse(String value) {
        return new Cid(value);
    }

    public static boolean isValid(String value) {
        return reason(value) == null;
    }

    @Override
    public String toString() {
        return value;
    }

    static String reason(String value) {
        if (value == null || value.length() < MIN_LENGTH || value.length() > MAX_LENGTH) {
            return "must be " + MIN_LENGTH + "-" + MAX_LENGTH + " characters";
        }
        if (!Syntax.allMatch(value, c -> Syntax.isAlphanumeric((char) c) || c == '+' || c == '=')) {
            return "only multibase characters A-Z a-z 0-9 + = are allowed";
        }
        if (value.startsWith("Qm")) {
            return "CIDv0 is not supported";
        }
        return null;
    }
}
