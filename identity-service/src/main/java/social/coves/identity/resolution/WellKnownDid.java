package social.coves.identity.resolution;

import social.coves.lexicon.syntax.DidMethodRules;

import java.util.Optional;

/**
 * How a {@code /.well-known/atproto-did} file is read, for handles ({@link HandleFetcher}) and for domain checks
 * ({@code web.WellKnownDidVerifier}) alike: 404 and 410 mean there is no file; otherwise the claim is the first line
 * of the body, surrounding white space removed, and it must be a DID.
 */
public final class WellKnownDid {

    public static final String PATH = "/.well-known/atproto-did";
    public static final String ACCEPT = "text/plain";

    private WellKnownDid() {
    }

    /** The host says it has no such file. */
    public static boolean isAbsent(int status) {
        return status == 404 || status == 410;
    }

    /**
     * The DID the body names: its first line, surrounding white space removed, when that is a DID meeting its method's
     * rules ({@link DidMethodRules}); empty otherwise.
     */
    public static Optional<String> did(String body) {
        String text = body.strip();
        int newline = text.indexOf('\n');
        String first = (newline >= 0 ? text.substring(0, newline) : text).strip();
        return DidMethodRules.isValid(first) ? Optional.of(first) : Optional.empty();
    }
}
