package social.coves.lexicon.syntax;

import java.util.Locale;

/** An atproto handle: a DNS name of at least two labels whose last label (TLD) starts with a letter. */
public record Handle(String value) {

    public static final int MAX_LENGTH = 253;
    private static final String TYPE = "handle";

    public Handle {
        check(value);
    }

    public static Handle parse(String value) {
        return new Handle(value);
    }

    public static boolean isValid(String value) {
        return reason(value) == null;
    }

    /** Handles are case-insensitive; this is the form to store and compare. */
    public Handle normalized() {
        return new Handle(value.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return value;
    }

    private static void check(String value) {
        String reason = reason(value);
        if (reason != null) {
            throw Syntax.fail(TYPE, value, reason);
        }
    }

    static String reason(String value) {
        if (value == null || value.isEmpty()) {
            return "empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        String[] labels = value.split("\\.", -1);
        if (labels.length < 2) {
            return "needs at least two dot-separated labels";
        }
        for (String label : labels) {
            if (!Syntax.isDnsLabel(label)) {
                return "label \"" + label + "\" must be 1-63 ASCII letters, digits or inner hyphens";
            }
        }
        if (!Syntax.isAsciiLetter(labels[labels.length - 1].charAt(0))) {
            return "top-level label must start with a letter";
        }
        return null;
    }
}
