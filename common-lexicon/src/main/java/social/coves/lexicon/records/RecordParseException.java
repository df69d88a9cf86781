package social.coves.lexicon.records;

/** A record JSON that cannot be turned into its typed form; the message names the collection, path and problem. */
public final class RecordParseException extends RuntimeException {

    private final String path;

    public RecordParseException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    public RecordParseException(String path, String message, Throwable cause) {
        super(path + ": " + message, cause);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
