package social.coves.lexicon.syntax;

/**
 * A namespaced identifier ({@code com.example.fooBar}): a reversed domain authority followed by a name segment that
 * starts with a letter and holds only letters and digits.
 */
public record Nsid(String value) {

    public static final int MAX_LENGTH = 317;
    private static final String TYPE = "NSID";

    public Nsid {
        String reason = reason(value);
        if (reason != null) {
            throw Syntax.fail(TYPE, value, reason);
        }
    }

    public static Nsid parse(String value) {
        return new Nsid(value);
    }

    public static boolean isValid(String value) {
        return reason(value) == null;
    }

    /** The reversed domain part, e.g. {@code social.coves.community} for {@code social.coves.community.post}. */
    public String authority() {
        return value.substring(0, value.lastIndexOf('.'));
    }

    public String name() {
        return value.substring(value.lastIndexOf('.') + 1);
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
        String[] segments = value.split("\\.", -1);
        if (segments.length < 3) {
            return "needs at least three dot-separated segments";
        }
        for (int i = 0; i < segments.length - 1; i++) {
            if (!Syntax.isDnsLabel(segments[i])) {
                return "segment \"" + segments[i] + "\" must be 1-63 ASCII letters, digits or inner hyphens";
            }
        }
        if (!Syntax.isAsciiLetter(segments[0].charAt(0))) {
            return "first segment must start with a letter";
        }
        String name = segments[segments.length - 1];
        if (name.isEmpty() || name.length() > 63 || !Syntax.isAsciiLetter(name.charAt(0))
                || !Syntax.allMatch(name, c -> Syntax.isAlphanumeric((char) c))) {
            return "name segment must be 1-63 ASCII letters and digits, starting with a letter";
        }
        return null;
    }
}
