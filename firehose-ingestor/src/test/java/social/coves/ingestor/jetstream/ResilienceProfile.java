package social.coves.ingestor.jetstream;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Jetstream role only, fast keep-alive and backoff, and a small in-flight bound so shedding happens in tests. */
public class ResilienceProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "coves.ingestor.indexer.enabled", "false",
                "coves.jetstream.initial-cursor", "0",
                "coves.jetstream.ping-interval", "PT0.5S",
                "coves.jetstream.read-timeout", "PT5S",
                "coves.jetstream.reconnect-min-delay", "PT0.05S",
                "coves.jetstream.reconnect-max-delay", "PT1S",
                "coves.jetstream.max-in-flight", "300",
                "coves.jetstream.resume-in-flight", "50");
    }
}
