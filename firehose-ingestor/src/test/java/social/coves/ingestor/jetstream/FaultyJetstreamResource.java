package social.coves.ingestor.jetstream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import social.coves.lexicon.envelope.Topics;
import social.coves.localstack.jetstream.EventLog;
import social.coves.localstack.jetstream.JetstreamServer;
import social.coves.localstack.testing.SharedKafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Jetstream stand-in with faults for one test class (init args {@code legacy}, {@code compress}). The ingest topics
 * are emptied before the app starts and after it stops, so the cursors of another test class's stand-in are never
 * recovered (and ours never leak into theirs).
 */
public class FaultyJetstreamResource implements QuarkusTestResourceLifecycleManager {

    private static JetstreamServer server;
    private boolean legacy;
    private boolean compress;

    @Override
    public void init(Map<String, String> initArgs) {
        legacy = Boolean.parseBoolean(initArgs.getOrDefault("legacy", "false"));
        compress = Boolean.parseBoolean(initArgs.getOrDefault("compress", "false"));
    }

    @Override
    public synchronized Map<String, String> start() {
        emptyIngestTopics();
        JetstreamServer.Options options = new JetstreamServer.Options(
                compress ? Fixtures.jetstream("legacy_subscribe.zdict") : null, legacy, 1_000);
        server = JetstreamServer.start(0, new EventLog(legacy), options);
        Map<String, String> config = new HashMap<>();
        config.put("coves.jetstream.url", server.subscribeUrl());
        if (compress) {
            config.put("coves.jetstream.zstd-dictionary", Fixtures.jetstream("legacy_subscribe.zdict").toString());
        }
        return config;
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        emptyIngestTopics();
    }

    static JetstreamServer server() {
        return server;
    }

    static void emptyIngestTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : List.of(Topics.REPO_EVENTS, Topics.IDENTITY_EVENTS, Topics.INGEST_REJECTS)) {
                if (existing.contains(topic)) {
                    admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                }
            }
            if (latest.isEmpty()) {
                return;
            }
            Map<TopicPartition, RecordsToDelete> deletes = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> deletes.put(tp, RecordsToDelete.beforeOffset(info.offset())));
            admin.deleteRecords(deletes).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not empty the ingest topics", e);
        }
    }
}
