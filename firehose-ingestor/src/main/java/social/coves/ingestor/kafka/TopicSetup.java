package social.coves.ingestor.kafka;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import social.coves.lexicon.envelope.Topics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Creates the three topics with their documented partitions and retention when they do not exist yet
 * (an operator may pre-create them; existing topics are left alone).
 */
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "coves.topics.repo-events.partitions", defaultValue = "6")
    int repoEventPartitions;

    @ConfigProperty(name = "coves.topics.identity-events.partitions", defaultValue = "3")
    int identityEventPartitions;

    @ConfigProperty(name = "coves.topics.replication-factor", defaultValue = "1")
    short replicationFactor;

    @ConfigProperty(name = "coves.topics.create", defaultValue = "true")
    boolean create;

    void onStart(@Observes StartupEvent event) throws Exception {
        if (!create) {
            return;
        }
        Map<String, Object> adminConfig = new HashMap<>();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = List.of(
                            new NewTopic(Topics.REPO_EVENTS, repoEventPartitions, replicationFactor).configs(Map.of("retention.ms", "-1")),
                            new NewTopic(Topics.IDENTITY_EVENTS, identityEventPartitions, replicationFactor).configs(Map.of("retention.ms", "-1")),
                            new NewTopic(Topics.INGEST_REJECTS, 1, replicationFactor).configs(Map.of("retention.ms", String.valueOf(TimeUnit.DAYS.toMillis(30)))))
                    .stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                    LOG.infof("created topics %s", missing.stream().map(NewTopic::name).toList());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }
}
