package social.coves.lexicon.syntax;

/** Either a {@link Did} or a {@link Handle}: how atproto APIs and AT-URIs name an account. */
public record AtIdentifier(String value) {

    private static final String TYPE = "at-identifier";

    public AtIdentifier {
        if (!isValid(value)) {
            throw Syntax.fail(TYPE, value, "neither a DID nor a handle");
        }
    }

    public static AtIdentifier parse(String value) {
        return new AtIdentifier(value);
    }

    public static boolean isValid(String value) {
        if (value == null) {
            return false;
        }
        return value.startsWith("did:") ? Did.isValid(value) : Handle.isValid(value);
    }

    public boolean isDid() {
        return value.startsWith("did:");
    }

    public Did asDid() {
        return Did.parse(value);
    }

    public Handle asHandle() {
        return Handle.parse(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
