package social.coves.identity.resolution;

import java.util.Locale;
import java.util.Set;

/** Syntactically valid handles/hosts that must never be resolved (specs/handle); {@code .test} only in local mode. */
public final class ReservedNames {

    private static final Set<String> RESERVED_TLDS =
            Set.of("alt", "arpa", "example", "internal", "invalid", "local", "localhost", "onion");

    private ReservedNames() {
    }

    public static boolean isReserved(String host, boolean localMode) {
        String lower = host.toLowerCase(Locale.ROOT);
        String tld = lower.substring(lower.lastIndexOf('.') + 1);
        if (tld.equals("test")) {
            return !localMode;
        }
        return RESERVED_TLDS.contains(tld);
    }
}
