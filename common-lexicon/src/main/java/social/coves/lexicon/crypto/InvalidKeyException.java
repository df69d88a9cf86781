package social.coves.lexicon.crypto;

/** A public or private key that cannot be decoded: wrong multibase, unknown multicodec, bad length, not on the curve. */
public final class InvalidKeyException extends RuntimeException {
    public InvalidKeyException(String message) {
        super(message);
    }

    public InvalidKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
