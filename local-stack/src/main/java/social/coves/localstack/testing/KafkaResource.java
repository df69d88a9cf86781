package social.coves.localstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Quarkus test resource: a real Kafka broker (see {@link SharedKafka}). */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", SharedKafka.bootstrapServers());
    }

    @Override
    public void stop() {
        // JVM-wide broker; a shutdown hook stops it
    }
}
