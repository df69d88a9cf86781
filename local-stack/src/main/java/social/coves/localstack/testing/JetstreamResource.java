package social.coves.localstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import social.coves.localstack.jetstream.EventLog;
import social.coves.localstack.jetstream.JetstreamServer;
import social.coves.localstack.jetstream.SampleNetwork;

import java.time.Instant;
import java.util.Map;

/**
 * Quarkus test resource: a Jetstream stand-in serving the generated Coves sample (seed 42), exposed as
 * {@code coves.jetstream.url}. Tests reach it through {@link #server()} and {@link #sample()} to append events.
 */
public class JetstreamResource implements QuarkusTestResourceLifecycleManager {

    private static JetstreamServer server;
    private static SampleNetwork sample;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            sample = SampleNetwork.generate(42, Instant.now());
            EventLog log = new EventLog();
            sample.events().forEach(e -> log.append(e.deepCopy()));
            server = JetstreamServer.start(0, log);
        }
        return Map.of("coves.jetstream.url", server.subscribeUrl());
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public static JetstreamServer server() {
        return server;
    }

    public static SampleNetwork sample() {
        return sample;
    }
}
