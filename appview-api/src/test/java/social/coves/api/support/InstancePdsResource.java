package social.coves.api.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.pds.PdsStack;
import social.coves.localstack.testing.SharedPdsStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The API under test hosts communities on the real PDS of local-stack ({@link SharedPdsStack}), reached through a
 * {@link FaultyPdsProxy} so tests can fail it between steps; service-auth tokens are verified by an identity-service
 * resolving DIDs in that stack's real PLC directory. One of each per test JVM. With the init argument
 * {@code direct=true} the API talks to the PDS itself, without the relay (benchmarks).
 */
public class InstancePdsResource implements QuarkusTestResourceLifecycleManager {

    public static final String APPVIEW_DID = "did:web:localhost";
    private static FaultyPdsProxy proxy;
    private boolean direct;

    public static synchronized FaultyPdsProxy proxy() {
        if (proxy == null) {
            try {
                proxy = new FaultyPdsProxy(SharedPdsStack.endpoints().pdsUrl());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return proxy;
    }

    public static PdsStack.Endpoints stack() {
        return SharedPdsStack.endpoints();
    }

    /** A client of the real PDS itself (not through the proxy): the users' side. */
    public static PdsAccounts accounts() {
        return new PdsAccounts(stack().pdsUrl());
    }

    @Override
    public void init(Map<String, String> initArgs) {
        direct = Boolean.parseBoolean(initArgs.getOrDefault("direct", "false"));
    }

    @Override
    public Map<String, String> start() {
        PdsStack.Endpoints stack = stack();
        return Map.of(
                "coves.instance.pds-url", direct ? stack.pdsUrl() : proxy().url(),
                "coves.instance.domain", stack.instanceDomain(),
                "coves.instance.pds-timeout", "3s",
                "coves.appview.did", APPVIEW_DID,
                "quarkus.rest-client.identity.url", RunningIdentityService.againstPlc(stack.plcUrl()).url());
    }

    @Override
    public void stop() {
    }
}
