package social.coves.api.auth;

import io.smallrye.mutiny.Uni;
import social.coves.lexicon.crypto.Multikey;

/** The current {@code #atproto} signing key of a DID. */
public interface IssuerKeys {

    /** @param forceRefresh bypass caches (after a signature failure: the key may have rotated) */
    Uni<Multikey> signingKey(String did, boolean forceRefresh);
}
