package social.coves.localstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import social.coves.localstack.pds.PdsStack;

import java.util.Map;

/**
 * Quarkus test resource: the shared {@link SharedPdsStack} (a real PDS, its PLC directory and a Jetstream feed of its
 * commits), exposed as {@code coves.instance.pds-url}, {@code coves.identity.plc-url}, {@code coves.jetstream.url}
 * and {@code coves.instance.domain} (the handle domain without its leading dot). Tests reach the endpoints, e.g. for
 * {@link social.coves.localstack.pds.PdsAccounts}, through {@link #endpoints()}. The stack outlives the test class
 * (one per JVM), so {@link #stop()} leaves it running.
 */
public class PdsStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        PdsStack.Endpoints e = SharedPdsStack.endpoints();
        return Map.of(
                "coves.instance.pds-url", e.pdsUrl(),
                "coves.identity.plc-url", e.plcUrl(),
                "coves.jetstream.url", e.jetstreamUrl(),
                "coves.instance.domain", e.instanceDomain());
    }

    @Override
    public void stop() {
        // shared per JVM: stopped by SharedPdsStack's shutdown hook
    }

    public static PdsStack.Endpoints endpoints() {
        return SharedPdsStack.endpoints();
    }
}
