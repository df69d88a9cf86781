package social.coves.identity.safety;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class AddressPolicyTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, loopback_address, ''",
            "::1, loopback_address, ''",
            "10.1.2.3, private_address, private_address",
            "172.16.0.1, private_address, private_address",
            "172.31.255.255, private_address, private_address",
            "192.168.1.1, private_address, private_address",
            "100.64.0.1, private_address, private_address",
            "169.254.169.254, metadata_address, metadata_address",
            "169.254.10.10, link_local_address, link_local_address",
            "fe80::1, link_local_address, link_local_address",
            "fd00::1, private_address, private_address",
            "fc00::1, private_address, private_address",
            "0.0.0.0, non_public_address, non_public_address",
            "224.0.0.1, non_public_address, non_public_address",
            "192.0.2.1, non_public_address, non_public_address",
            "::ffff:10.0.0.1, private_address, private_address",
            "64:ff9b::a00:1, non_public_address, non_public_address",
            "2002:a00:1::1, non_public_address, non_public_address",
            "ff02::1, non_public_address, non_public_address",
            "8.8.8.8, '', ''",
            "172.32.0.1, '', ''",
            "2606:4700::1111, '', ''",
    })
    void refusesEverythingButPublicUnicast(String ip, String strictReason, String localReason) throws Exception {
        InetAddress address = InetAddress.getByName(ip);
        assertThat(new AddressPolicy(false).check(address).map(FetchFailure::label).orElse("")).isEqualTo(strictReason);
        assertThat(new AddressPolicy(true).check(address).map(FetchFailure::label).orElse("")).isEqualTo(localReason);
    }
}
