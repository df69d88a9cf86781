package social.coves.ingestor.indexer.rejects;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;
import social.coves.ingestor.IngestorRoles;

/**
 * The re-drive role: with {@code coves.ingestor.redrive.enabled=true} (and the other roles off) the process publishes
 * the indexer's set-aside records again ({@link IndexRejectsRedrive}) and exits with 0, or 1 when it failed (run it
 * again: what was published is deleted, the rest is still there). The running indexers fold what it publishes.
 */
@ApplicationScoped
public class RedriveCommand {

    private static final Logger LOG = Logger.getLogger(RedriveCommand.class);

    private final IngestorRoles roles;
    private final Instance<IndexRejectsRedrive> redrive;

    public RedriveCommand(IngestorRoles roles, Instance<IndexRejectsRedrive> redrive) {
        this.roles = roles;
        this.redrive = redrive;
    }

    void start(@Observes StartupEvent ignored) {
        if (!roles.redrive()) {
            return;
        }
        if (roles.indexer() || roles.jetstream() || roles.rebuild() || roles.export()) {
            throw new IllegalStateException("coves.ingestor.redrive.enabled=true runs alone: set coves.ingestor.indexer.enabled=false "
                    + "and coves.ingestor.jetstream.enabled=false");
        }
        Thread.ofPlatform().name("index-rejects-redrive").start(() -> {
            try {
                redrive.get().redrive();
                Quarkus.asyncExit(0);
            } catch (RuntimeException e) {
                LOG.errorf(e, "re-drive failed; run it again");
                Quarkus.asyncExit(1);
            }
        });
    }
}
