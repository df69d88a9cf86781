package social.coves.api.ratelimit;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Who a request comes from, for rate limiting. {@code X-Forwarded-For} is believed only when the TCP peer is one of
 * the trusted proxies (CIDRs), and then the client is the right-most hop that is not itself a trusted proxy: proxies
 * append, so everything left of that hop was written by the client and may be forged.
 */
public final class ClientAddress {

    private final List<IpSubnetFilterRule> trustedProxies;

    public ClientAddress(List<String> trustedProxyCidrs) {
        this.trustedProxies = trustedProxyCidrs.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(ClientAddress::rule).toList();
    }

    public String of(String peerAddress, String forwardedFor) {
        if (peerAddress == null) {
            return "unknown";
        }
        if (forwardedFor == null || forwardedFor.isBlank() || !isTrusted(peerAddress)) {
            return peerAddress;
        }
        List<String> hops = Arrays.stream(forwardedFor.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!isTrusted(hops.get(i))) {
                return hops.get(i);
            }
        }
        return hops.isEmpty() ? peerAddress : hops.get(0);
    }

    private boolean isTrusted(String address) {
        if (trustedProxies.isEmpty() || !looksLikeIpLiteral(address)) {
            return false;
        }
        try {
            InetSocketAddress socket = new InetSocketAddress(InetAddress.getByName(address), 0);
            return trustedProxies.stream().anyMatch(rule -> rule.matches(socket));
        } catch (Exception notAnAddress) {
            return false;
        }
    }

    /** Only literals: a forged hop such as {@code evil.example} must never cause a DNS look-up. */
    private static boolean looksLikeIpLiteral(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
    }

    private static IpSubnetFilterRule rule(String cidr) {
        String[] parts = cidr.split("/");
        if (!looksLikeIpLiteral(parts[0])) {
            throw new IllegalArgumentException("trusted proxy must be an IP address or CIDR, got " + cidr);
        }
        int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : (parts[0].contains(":") ? 128 : 32);
        return new IpSubnetFilterRule(parts[0], prefix, IpFilterRuleType.ACCEPT);
    }
}
