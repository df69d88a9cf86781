package social.coves.identity.oauth;

/** A metadata document is unusable: not JSON, or a rule of the atproto OAuth profile broken. The message says which. */
final class MetadataException extends Exception {

    MetadataException(String message) {
        super(message, null, false, false);
    }
}
