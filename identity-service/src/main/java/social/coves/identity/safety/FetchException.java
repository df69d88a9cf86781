package social.coves.identity.safety;

/** An outbound fetch was refused by a safety rule or failed on the network. */
public class FetchException extends Exception {

    private final FetchFailure failure;

    public FetchException(FetchFailure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public FetchException(FetchFailure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public FetchFailure failure() {
        return failure;
    }
}
