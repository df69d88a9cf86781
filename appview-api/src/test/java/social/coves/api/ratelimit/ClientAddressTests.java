package social.coves.api.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTests {

    private final ClientAddress behindIngress = new ClientAddress(List.of("10.0.0.0/8", " 2001:db8::/32"));

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() {
        assertThat(behindIngress.of("203.0.113.5", "198.51.100.7")).isEqualTo("203.0.113.5");
        assertThat(new ClientAddress(List.of()).of("10.1.2.3", "198.51.100.7")).isEqualTo("10.1.2.3");
    }

    @Test
    void theClientIsTheRightmostHopThatIsNotATrustedProxy() {
        assertThat(behindIngress.of("10.1.2.3", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(behindIngress.of("10.1.2.3", "6.6.6.6, 198.51.100.7, 10.4.4.4")).isEqualTo("198.51.100.7");
        assertThat(behindIngress.of("2001:db8::1", "2001:db8::9, 2600::1")).isEqualTo("2600::1");
    }

    @Test
    void onlyTrustedHopsMeansTheLeftmostAndNoHeaderMeansThePeer() {
        assertThat(behindIngress.of("10.1.2.3", "10.7.7.7, 10.8.8.8")).isEqualTo("10.7.7.7");
        assertThat(behindIngress.of("10.1.2.3", null)).isEqualTo("10.1.2.3");
        assertThat(behindIngress.of("10.1.2.3", " ")).isEqualTo("10.1.2.3");
    }

    @Test
    void hostnamesInTheHeaderAreNeverResolvedAndCountAsUntrusted() {
        assertThat(behindIngress.of("10.1.2.3", "localhost")).isEqualTo("localhost");
    }

    @Test
    void aTrustedProxyMustBeAnAddress() {
        assertThatThrownBy(() -> new ClientAddress(List.of("ingress.local/8"))).isInstanceOf(IllegalArgumentException.class);
    }
}
