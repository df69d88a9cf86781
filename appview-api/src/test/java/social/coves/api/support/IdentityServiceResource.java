package social.coves.api.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the API's identity client at a running identity-service (see {@link RunningIdentityService}). */
public class IdentityServiceResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.rest-client.identity.url", RunningIdentityService.get().url());
    }

    @Override
    public void stop() {
    }
}
