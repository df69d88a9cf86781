package social.coves.ingestor.indexer.replay;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;
import social.coves.ingestor.IngestorRoles;

/**
 * The rebuild role: with {@code coves.ingestor.rebuild.enabled=true} (and the jetstream and indexer roles off) the
 * process migrates the schema, runs {@link ProjectionRebuild} under the live indexer's consumer groups and exits with 0,
 * or with 1 when the rebuild failed (run it again: it resumes). The indexer pods then continue from its offsets.
 */
@ApplicationScoped
public class ProjectionRebuildCommand {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuildCommand.class);

    private final IngestorRoles roles;
    private final Instance<ProjectionRebuild> rebuild;
    private final Instance<Flyway> flyway;
    private final ProjectionRebuild.Source source;
    private final int batchSize;
    private final int workers;

    public ProjectionRebuildCommand(IngestorRoles roles, Instance<ProjectionRebuild> rebuild, Instance<Flyway> flyway,
                                    @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                                    @ConfigProperty(name = "mp.messaging.incoming.repo-events.topic") String repoTopic,
                                    @ConfigProperty(name = "mp.messaging.incoming.repo-events.group.id") String repoGroup,
                                    @ConfigProperty(name = "mp.messaging.incoming.identity-events.topic") String identityTopic,
                                    @ConfigProperty(name = "mp.messaging.incoming.identity-events.group.id") String identityGroup,
                                    @ConfigProperty(name = "coves.rebuild.batch-size", defaultValue = "2000") int batchSize,
                                    @ConfigProperty(name = "coves.rebuild.workers", defaultValue = "2") int workers) {
        this.roles = roles;
        this.rebuild = rebuild;
        this.flyway = flyway;
        this.source = new ProjectionRebuild.Source(bootstrap, repoTopic, repoGroup, identityTopic, identityGroup);
        this.batchSize = batchSize;
        this.workers = workers;
    }

    void start(@Observes StartupEvent ignored) {
        if (!roles.rebuild()) {
            return;
        }
        if (roles.indexer() || roles.jetstream()) {
            throw new IllegalStateException("coves.ingestor.rebuild.enabled=true runs alone: set coves.ingestor.indexer.enabled=false "
                    + "and coves.ingestor.jetstream.enabled=false (and stop the indexer pods)");
        }
        Thread.ofPlatform().name("projection-rebuild").start(() -> {
            try {
                flyway.get().migrate();
                rebuild.get().rebuild(source, batchSize, workers);
                Quarkus.asyncExit(0);
            } catch (RuntimeException e) {
                LOG.errorf(e, "rebuild failed; run it again to resume from the stored offsets");
                Quarkus.asyncExit(1);
            }
        });
    }
}
