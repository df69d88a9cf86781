package social.coves.identity.safety;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which IP addresses an identity fetch may connect to: public unicast only. Explicit CIDR lists rather than the
 * {@code InetAddress.isXxx} helpers, which miss carrier-grade NAT, ULA, NAT64 and the documentation ranges.
 * IPv6 must be global unicast (2000::/3) minus the tunnelling and documentation prefixes that can smuggle an IPv4
 * address. In local mode (dev/test only) loopback is allowed; nothing else changes.
 */
public final class AddressPolicy {

    private static final Cidr METADATA = Cidr.parse("169.254.169.254/32");
    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    private static final List<Cidr> LINK_LOCAL = List.of(Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"));
    private static final List<Cidr> PRIVATE = List.of(
            Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16"),
            Cidr.parse("100.64.0.0/10"), Cidr.parse("fc00::/7"));
    private static final List<Cidr> OTHER_NON_PUBLIC_V4 = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"),
            Cidr.parse("192.88.99.0/24"), Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"),
            Cidr.parse("203.0.113.0/24"), Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"));
    private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");
    private static final List<Cidr> NON_PUBLIC_V6_IN_GLOBAL = List.of(
            Cidr.parse("2001::/32"), Cidr.parse("2001:db8::/32"), Cidr.parse("2002::/16"), Cidr.parse("3fff::/20"));

    private final boolean localMode;

    public AddressPolicy(boolean localMode) {
        this.localMode = localMode;
    }

    public boolean localMode() {
        return localMode;
    }

    /** Empty when the address may be connected to; otherwise the reason it may not. */
    public Optional<FetchFailure> check(InetAddress address) {
        if (METADATA.contains(address)) {
            return Optional.of(FetchFailure.METADATA_ADDRESS);
        }
        if (anyContains(LOOPBACK, address)) {
            return localMode ? Optional.empty() : Optional.of(FetchFailure.LOOPBACK_ADDRESS);
        }
        if (anyContains(LINK_LOCAL, address)) {
            return Optional.of(FetchFailure.LINK_LOCAL_ADDRESS);
        }
        if (anyContains(PRIVATE, address)) {
            return Optional.of(FetchFailure.PRIVATE_ADDRESS);
        }
        if (address instanceof Inet4Address) {
            return anyContains(OTHER_NON_PUBLIC_V4, address) ? Optional.of(FetchFailure.NON_PUBLIC_ADDRESS) : Optional.empty();
        }
        if (address instanceof Inet6Address) {
            if (!GLOBAL_UNICAST_V6.contains(address) || anyContains(NON_PUBLIC_V6_IN_GLOBAL, address)) {
                return Optional.of(FetchFailure.NON_PUBLIC_ADDRESS);
            }
            return Optional.empty();
        }
        return Optional.of(FetchFailure.NON_PUBLIC_ADDRESS);
    }

    private static boolean anyContains(List<Cidr> ranges, InetAddress address) {
        for (Cidr range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
