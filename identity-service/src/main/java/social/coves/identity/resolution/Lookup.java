package social.coves.identity.resolution;

/**
 * The outcome of resolving one key (a DID to its document, or a handle to its DID), as cached.
 *
 * @param value   the DID document JSON (DID keys) or the DID (handle keys); null unless {@link Status#FOUND}
 * @param did     the DID this entry is about (for purges); null when unknown
 * @param source  where the answer came from: {@code plc}, {@code web}, {@code dns}, {@code https}, {@code syntax}
 */
public record Lookup(Status status, String value, String did, String message, String source) {

    public enum Status {
        FOUND, NOT_FOUND, DEACTIVATED, INVALID, FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Lookup found(String value, String did, String source) {
        return new Lookup(Status.FOUND, value, did, "", source);
    }

    public static Lookup of(Status status, String did, String message, String source) {
        return new Lookup(status, null, did, message, source);
    }

    public boolean isFound() {
        return status == Status.FOUND;
    }
}
