package social.coves.lexicon.schema;

/** A lexicon document that is not well-formed; the message names the document and the offending definition. */
public final class InvalidLexiconException extends RuntimeException {
    public InvalidLexiconException(String message) {
        super(message);
    }

    public InvalidLexiconException(String message, Throwable cause) {
        super(message, cause);
    }
}
