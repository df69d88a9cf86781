package social.coves.identity.web;

import java.util.Locale;
import java.util.Set;

/**
 * The registrable domain (eTLD+1) of a host name. Without a bundled public-suffix list this knows the common
 * two-label public suffixes and otherwise takes the last two labels — the same fallback the Go AppView uses.
 */
final class RegistrableDomain {

    private static final Set<String> TWO_LABEL_SUFFIXES = Set.of(
            "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "ne.jp",
            "or.jp", "com.br", "com.cn", "com.mx", "co.in", "co.za", "com.tr", "com.tw", "co.kr");

    private RegistrableDomain() {
    }

    static String of(String host) {
        String[] labels = host.toLowerCase(Locale.ROOT).split("\\.");
        if (labels.length <= 2) {
            return String.join(".", labels);
        }
        String lastTwo = labels[labels.length - 2] + "." + labels[labels.length - 1];
        if (TWO_LABEL_SUFFIXES.contains(lastTwo)) {
            return labels[labels.length - 3] + "." + lastTwo;
        }
        return lastTwo;
    }
}
