package social.coves.api.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import social.coves.localstack.ChildJvm;
import social.coves.localstack.pds.PdsStack;
import social.coves.localstack.testing.TestTls;

import java.util.HashMap;
import java.util.Map;

/**
 * The API under test as a real OAuth client of the local PDS: besides everything {@link InstancePdsResource} sets, it
 * serves HTTPS for {@link TestTls#HOSTNAME} (which the PDS process resolves to loopback and whose test certificate it
 * trusts; see local-stack's PdsStack), its public URL — and so its OAuth client id — is on that name, and its
 * identity-service verifies the PDS's handles (local mode, handle hosts on loopback at the PDS's port).
 */
public class SignInAppResource implements QuarkusTestResourceLifecycleManager {

    private static int httpsPort;

    /** {@code https://appview.coves-e2e.net:<port>}: the client id's origin and where browsers go. */
    public static String publicUrl() {
        return "https://" + TestTls.shared().hostname() + ":" + httpsPort;
    }

    @Override
    public Map<String, String> start() {
        TestTls tls = TestTls.shared();
        PdsStack.Endpoints stack = InstancePdsResource.stack();
        httpsPort = ChildJvm.freePort();
        Map<String, String> config = new HashMap<>(new InstancePdsResource().start());
        config.put("quarkus.http.ssl.certificate.files", tls.certificatePem().toString());
        config.put("quarkus.http.ssl.certificate.key-files", tls.privateKeyPem().toString());
        config.put("quarkus.http.test-ssl-port", Integer.toString(httpsPort));
        config.put("quarkus.http.insecure-requests", "enabled");
        config.put("coves.appview.public-url", publicUrl());
        config.put("quarkus.rest-client.identity.url", RunningIdentityService.verifyingPdsHandles(stack).url());
        return config;
    }

    @Override
    public void stop() {
    }
}
