package social.coves.lexicon.syntax;

/** Thrown by the {@code parse} methods of the syntax types; the message names the type, the input and the rule. */
public final class InvalidSyntaxException extends IllegalArgumentException {

    private final String type;
    private final String input;

    public InvalidSyntaxException(String type, String input, String reason) {
        super("invalid " + type + " " + quote(input) + ": " + reason);
        this.type = type;
        this.input = input;
    }

    public String type() {
        return type;
    }

    public String input() {
        return input;
    }

    private static String quote(String input) {
        if (input == null) {
            return "null";
        }
        String shown = input.length() > 80 ? input.substring(0, 80) + "…(" + input.length() + " chars)" : input;
        return "\"" + shown + "\"";
    }
}
