package social.coves.identity.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the service at {@link FakeNetwork}: PLC URL, local HTTP port, DNS server. */
public class FakeNetworkResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        FakeNetwork network = FakeNetwork.get();
        return Map.of(
                "coves.identity.plc-url", "http://localhost:" + network.httpPort(),
                "coves.identity.local-http-port", String.valueOf(network.httpPort()),
                "coves.identity.dns.servers", "127.0.0.1:" + network.dnsPort());
    }

    @Override
    public void stop() {
        // JVM-wide; dies with the test JVM
    }
}
