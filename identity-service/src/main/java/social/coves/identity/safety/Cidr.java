package social.coves.identity.safety;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range; IPv4 ranges never match IPv6 addresses and vice versa. */
record Cidr(byte[] network, int prefixLength) {

    static Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            // literals only: no DNS involved
            byte[] bytes = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            return new Cidr(bytes, Integer.parseInt(cidr.substring(slash + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (bytes[full] & mask) == (network[full] & mask);
    }
}
