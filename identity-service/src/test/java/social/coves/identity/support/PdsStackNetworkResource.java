package social.coves.identity.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import social.coves.localstack.pds.PdsStack;
import social.coves.localstack.testing.SharedPdsStack;

import java.net.URI;
import java.util.Map;

/**
 * Points the service at local-stack's real PDS stack ({@link SharedPdsStack}): DIDs from its PLC directory, and handle
 * well-knowns at its PDS (local mode sends {@code https://<handle>/.well-known/atproto-did} as plain HTTP to
 * {@code local-http-port}, and the PDS answers for its {@code .coves.test} handles by Host name). DNS is
 * {@link FakeNetwork}'s answerer, which gives every {@code *.test} name 127.0.0.1 and no TXT records, so handles
 * resolve through the PDS's own well-known.
 */
public class PdsStackNetworkResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        PdsStack.Endpoints stack = SharedPdsStack.endpoints();
        return Map.of(
                "coves.identity.plc-url", stack.plcUrl(),
                "coves.identity.local-http-port", String.valueOf(URI.create(stack.pdsUrl()).getPort()),
                "coves.identity.dns.servers", "127.0.0.1:" + FakeNetwork.get().dnsPort());
    }

    @Override
    public void stop() {
        // the stack is shared per JVM and stopped by SharedPdsStack's shutdown hook
    }
}
