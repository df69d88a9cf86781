package social.coves.ingestor.jetstream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import social.coves.localstack.jetstream.EventLog;
import social.coves.localstack.jetstream.JetstreamServer;

import java.util.Map;

/**
 * Two Jetstream stand-ins for one test class, configured as a failover list {@code primary,secondary}: separate
 * instances with separate seq spaces, as two public Jetstream hosts are. The ingest topics are emptied before and
 * after, as in {@link FaultyJetstreamResource}.
 */
public class FailoverJetstreamResource implements QuarkusTestResourceLifecycleManager {

    private static JetstreamServer primary;
    private static JetstreamServer secondary;

    @Override
    public synchronized Map<String, String> start() {
        FaultyJetstreamResource.emptyIngestTopics();
        JetstreamServer.Options options = new JetstreamServer.Options(null, false, 1_000);
        primary = JetstreamServer.start(0, new EventLog(), options);
        secondary = JetstreamServer.start(0, new EventLog(), options);
        return Map.of("coves.jetstream.url", primary.subscribeUrl() + "," + secondary.subscribeUrl());
    }

    @Override
    public synchronized void stop() {
        for (JetstreamServer server : new JetstreamServer[] {primary, secondary}) {
            if (server != null) {
                server.close();
            }
        }
        primary = null;
        secondary = null;
        FaultyJetstreamResource.emptyIngestTopics();
    }

    static JetstreamServer primary() {
        return primary;
    }

    static JetstreamServer secondary() {
        return secondary;
    }
}
