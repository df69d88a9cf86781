package social.coves.lexicon.crypto;

/** Whether a signature's {@code s} must be in the lower half of the curve order. */
public enum LowS {
    /** atproto data signatures (repo commits, labels): a high-S signature is invalid. */
    REQUIRED,
    /** JWT verification (service auth): high-S and low-S are both accepted, as the reference verifiers do. */
    ALLOWED
}
