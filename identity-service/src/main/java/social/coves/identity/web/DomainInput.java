package social.coves.identity.web;

import social.coves.identity.resolution.ReservedNames;
import social.coves.lexicon.syntax.Handle;

import java.util.Locale;

/**
 * A domain as a caller may give it: {@code host}, {@code host:port} or {@code https://host[:port]} with an optional
 * trailing {@code /}; normalised to lower-case {@code host[:port]}. The host must be a DNS name of two or more labels
 * (or {@code localhost} in local mode), not an IP literal and not a reserved name; a port only in local mode; no path,
 * query, fragment or user info; no other scheme.
 */
final class DomainInput {

    /** Either the normalised domain or, when the input is not acceptable, why. */
    record Parsed(String domain, String problem) {
        boolean ok() {
            return domain != null;
        }
    }

    private DomainInput() {
    }

    static Parsed parse(String input, boolean localMode) {
        String rest = input.toLowerCase(Locale.ROOT);
        if (rest.startsWith("https://")) {
            rest = rest.substring("https://".length());
            if (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
        } else if (rest.contains("://")) {
            return problem("only a host name or an https:// URL is accepted: " + input);
        }
        if (rest.isEmpty() || rest.chars().anyMatch(c -> c == '/' || c == '?' || c == '#' || c == '@' || c == '\\')) {
            return problem("a domain is a host name, without path, query, fragment or user info: " + input);
        }
        if (rest.startsWith("[")) {
            return problem("an IP address is not a domain: " + input);
        }
        String host = rest;
        String port = "";
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            if (!localMode) {
                return problem("a domain takes no port: " + input);
            }
            host = rest.substring(0, colon);
            port = rest.substring(colon + 1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                return problem("not a port number in " + input);
            }
            port = ":" + Integer.parseInt(port);
        }
        if (!host.isEmpty() && host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return problem("an IP address is not a domain: " + input);
        }
        boolean localhost = localMode && host.equals("localhost");
        if (!localhost && !Handle.isValid(host)) {
            return problem("not a host name: " + input);
        }
        if (!localhost && ReservedNames.isReserved(host, localMode)) {
            return problem("a reserved name is never fetched: " + input);
        }
        return new Parsed(host + port, null);
    }

    private static Parsed problem(String message) {
        return new Parsed(null, message);
    }
}
