package social.coves.identity.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import social.coves.localstack.testing.TestHttpsHost;

import java.util.Map;

/**
 * Points the service at {@link FakeNetwork} (PLC URL, local HTTP port, DNS server) and trusts the certificate of
 * local-stack's shared {@link TestHttpsHost} through {@code coves.identity.fetch.extra-trusted-certificates}.
 */
public class FakeNetworkResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        FakeNetwork network = FakeNetwork.get();
        return Map.of(
                "coves.identity.plc-url", "http://localhost:" + network.httpPort(),
                "coves.identity.local-http-port", String.valueOf(network.httpPort()),
                "coves.identity.dns.servers", "127.0.0.1:" + network.dnsPort(),
                "coves.identity.fetch.extra-trusted-certificates", TestHttpsHost.shared().certificatePem().toString());
    }

    @Override
    public void stop() {
        // JVM-wide; dies with the test JVM
    }
}
