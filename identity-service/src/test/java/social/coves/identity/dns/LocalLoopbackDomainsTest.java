package social.coves.identity.dns;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Local mode's loopback domains: a local PDS's handle hosts are loopback and have no TXT records; nothing else is. */
class LocalLoopbackDomainsTest {

    // a resolver that answers nothing (nothing listens on port 9 of loopback), so only the local rule can answer
    private final DnsjavaResolver resolver = new DnsjavaResolver(List.of("127.0.0.1:9"), Duration.ofMillis(300), List.of(".coves.test"));

    @Test
    void namesUnderALoopbackDomainAreLoopbackWithoutTxtRecords() throws Exception {
        assertThat(resolver.resolve("alice.coves.test")).containsExactly(InetAddress.getLoopbackAddress());
        assertThat(resolver.resolve("Bob.Coves.Test.")).containsExactly(InetAddress.getLoopbackAddress());
        assertThat(resolver.txt("_atproto.alice.coves.test").records()).isEmpty();
        assertThat(resolver.txt("_atproto.alice.coves.test").status()).isEqualTo(TxtLookup.TxtAnswer.Status.NO_RECORDS);
    }

    @Test
    void otherNamesStillGoToDns() {
        assertThat(resolver.txt("_atproto.alice.other.test").status()).isEqualTo(TxtLookup.TxtAnswer.Status.FAILED);
        assertThat(resolver.txt("_atproto.coves.test.evil.example").status()).isEqualTo(TxtLookup.TxtAnswer.Status.FAILED);
    }
}
