package social.coves.lexicon.syntax;

/** A record key: 1-512 characters of {@code A-Za-z0-9 . - _ : ~}, but not {@code .} or {@code ..}. */
public record RecordKey(String value) {

    public static final int MAX_LENGTH = 512;
    private static final String TYPE = "record key";

    public RecordKey {
        String reason = reason(value);
        if (reason != null) {
            throw Syntax.fail(TYPE, value, reason);
        }
    }

    public static RecordKey parse(String value) {
        return new RecordKey(value);
    }

    public static boolean isValid(String value) {
        return reason(value) == null;
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
        if (value.equals(".") || value.equals("..")) {
            return "\".\" and \"..\" are reserved";
        }
        if (!Syntax.allMatch(value, c -> Syntax.isAlphanumeric((char) c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '~')) {
            return "only A-Z a-z 0-9 . - _ : ~ are allowed";
        }
        return null;
    }
}
