package social.coves.api.oauth;

import org.junit.jupiter.api.Test;
import social.coves.api.xrpc.XrpcException;

import java.net.InetAddress;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API's guard on sign-in and user-write requests outside dev/test: https to public unicast addresses only. */
class PublicAddressesTests {

    @Test
    void onlyPublicUnicastAddressesPass() throws Exception {
        for (String ok : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"}) {
            assertThat(PublicAddresses.isPublic(InetAddress.getByName(ok))).as(ok).isTrue();
        }
        for (String no : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "224.0.0.1", "240.0.0.1", "::1", "fc00::1", "fe80::1", "::ffff:10.0.0.1", "2002:a00:1::1", "2001:0:a00:1::1"}) {
            assertThat(PublicAddresses.isPublic(InetAddress.getByName(no))).as(no).isFalse();
        }
    }

    @Test
    void plainHttpAndLoopbackHostsAreRefused() {
        assertThatThrownBy(() -> PublicAddresses.require(URI.create("http://pds.example.com/xrpc/x"), "the PDS"))
                .isInstanceOf(XrpcException.class).hasMessageContaining("not https");
        assertThatThrownBy(() -> PublicAddresses.require(URI.create("https://localhost:2583/xrpc/x"), "the PDS"))
                .isInstanceOf(XrpcException.class).hasMessageContaining("non-public address");
        assertThatThrownBy(() -> PublicAddresses.require(URI.create("https://127.0.0.1/oauth/token"), "the authorization server"))
                .isInstanceOf(XrpcException.class).hasMessageContaining("non-public address");
    }
}
