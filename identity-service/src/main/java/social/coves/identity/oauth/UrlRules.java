package social.coves.identity.oauth;

import social.coves.identity.resolution.ReservedNames;
import social.coves.identity.safety.AddressPolicy;
import social.coves.lexicon.syntax.Handle;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules every URL found during OAuth discovery must meet, whether identity-service fetches it (the PDS, the
 * authorization server) or hands it to the API (the endpoints): the same as for identity-service's own fetch targets.
 * An absolute {@code https} URL ({@code http} only in local mode), no user info, no fragment, no explicit port outside
 * local mode; the host a DNS name of two or more labels that is not reserved ({@code .test} only in local mode,
 * {@code localhost} only in local mode), or, in local mode only, an IP literal that {@link AddressPolicy} accepts
 * (loopback). An origin is such a URL with nothing after the authority, in canonical form
 * ({@code scheme://host[:port]}, lower case, no default port, no trailing slash).
 */
final class UrlRules {

    private final boolean localMode;
    private final AddressPolicy policy;

    UrlRules(boolean localMode) {
        this.localMode = localMode;
        this.policy = new AddressPolicy(localMode);
    }

    /** Empty when {@code url} may be fetched or handed out as an endpoint; otherwise why not. */
    Optional<String> endpointProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a URL: " + url);
        }
        if (!uri.isAbsolute() || uri.isOpaque()) {
            return Optional.of("not an absolute URL: " + url);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(localMode && scheme.equals("http"))) {
            return Optional.of((localMode ? "only http and https are allowed: " : "only https is allowed: ") + url);
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("user info is not allowed: " + url);
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("a fragment is not allowed: " + url);
        }
        if (uri.getHost() == null) {
            return Optional.of("no usable host in " + url);
        }
        if (uri.getPort() != -1 && !localMode) {
            return Optional.of("an explicit port is not allowed: " + url);
        }
        return hostProblem(uri.getHost()).map(problem -> problem + ": " + url);
    }

    /** Empty when {@code url} is an acceptable origin in canonical form; otherwise why not. */
    Optional<String> originProblem(String url) {
        Optional<String> problem = endpointProblem(url);
        if (problem.isPresent()) {
            return problem;
        }
        URI uri = URI.create(url);
        if (uri.getRawQuery() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
            return Optional.of("not an origin (scheme://host[:port] with no path, query or trailing slash): " + url);
        }
        if (!origin(uri).equals(url)) {
            return Optional.of("not an origin in canonical form (" + origin(uri) + "): " + url);
        }
        return Optional.empty();
    }

    /** {@code scheme://host[:port]} of an acceptable URL, lower case, the scheme's default port left out. */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == (scheme.equals("https") ? 443 : 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private Optional<String> hostProblem(String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (isIpLiteral(host)) {
            return localMode ? addressProblem(host) : Optional.of("IP-literal hosts are not allowed");
        }
        if (host.equals("localhost")) {
            return localMode ? Optional.empty() : Optional.of("localhost is not allowed");
        }
        if (!Handle.isValid(host)) {
            return Optional.of("not a host name");
        }
        if (ReservedNames.isReserved(host, localMode)) {
            return Optional.of("a reserved name is never used");
        }
        return Optional.empty();
    }

    private Optional<String> addressProblem(String literal) {
        Optional<InetAddress> address = literalAddress(literal);
        if (address.isEmpty()) {
            return Optional.of("not an IP address");
        }
        return policy.check(address.get()).map(failure -> "refused address (" + failure.label() + ")");
    }

    /** Parses an IP literal without ever looking a name up: dotted quad, or bracketed IPv6. */
    private static Optional<InetAddress> literalAddress(String literal) {
        try {
            if (literal.startsWith("[") && literal.endsWith("]")) {
                // with a colon inside, getByName only parses an IPv6 literal (an invalid one throws; no look-up)
                String inner = literal.substring(1, literal.length() - 1);
                return inner.indexOf(':') >= 0 ? Optional.of(InetAddress.getByName(inner)) : Optional.empty();
            }
            String[] parts = literal.split("\\.", -1);
            if (parts.length != 4) {
                return Optional.empty();
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || Integer.parseInt(parts[i]) > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
