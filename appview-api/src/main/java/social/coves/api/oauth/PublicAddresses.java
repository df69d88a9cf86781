package social.coves.api.oauth;

import social.coves.api.xrpc.XrpcException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The API's own guard for the requests sign-in and user writes make (authorization servers and users' PDSes, hosts
 * that come from DID documents and metadata identity-service checked): https only, and every address the host resolves
 * to must be public unicast. identity-service fetched the same hosts under its full rules; this refuses a host that
 * has since been pointed at an internal address.
 */
final class PublicAddresses {

    private PublicAddresses() {
    }

    static void require(URI uri, String what) {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw refused(what, "not https: " + uri.getScheme());
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new XrpcException(502, "UpstreamFailure", what + ": its host does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw refused(what, "its host resolves to a non-public address");
            }
        }
    }

    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff, second = b[1] & 0xff;
            return !(first == 0 || first >= 240 || (first == 100 && second >= 64 && second < 128)   // CGNAT 100.64/10
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0)                            // 192.0.0/24
                    || (first == 198 && (second == 18 || second == 19)));                             // benchmarking
        }
        if (a instanceof Inet6Address) {
            boolean sixToFour = b[0] == 0x20 && b[1] == 0x02;                        // 2002::/16 wraps any IPv4
            boolean teredo = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0; // 2001::/32 likewise
            return (b[0] & 0xe0) == 0x20 && !sixToFour && !teredo;                 // global unicast 2000::/3 only
        }
        return false;
    }

    private static XrpcException refused(String what, String why) {
        return new XrpcException(502, "UpstreamFailure", what + " refused: " + why);
    }
}
