package social.coves.identity.resolution;

/** A resolved identity: the DID, its bidirectionally verified handle (or {@code handle.invalid}) and document. */
public record Identity(String did, String handle, DidDocument document) {

    public static final String INVALID_HANDLE = "handle.invalid";
}
