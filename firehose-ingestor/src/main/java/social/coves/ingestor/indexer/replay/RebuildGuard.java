package social.coves.ingestor.indexer.replay;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import social.coves.ingestor.IngestorRoles;

/**
 * Keeps a live indexer from folding on top of an unfinished rebuild, whose counters are not right yet: the indexer
 * role does not start while {@code appview.projection_rebuilds} holds an unfinished run. Runs before the Kafka
 * channels start.
 */
@ApplicationScoped
public class RebuildGuard {

    private final IngestorRoles roles;
    private final Instance<ProjectionRebuild> rebuild;

    public RebuildGuard(IngestorRoles roles, Instance<ProjectionRebuild> rebuild) {
        this.roles = roles;
        this.rebuild = rebuild;
    }

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent ignored) {
        if (!roles.indexer()) {
            return;
        }
        rebuild.get().unfinished().ifPresent(run -> {
            throw new IllegalStateException("indexer: " + run + " has not finished, so the counters are not maintained yet; "
                    + "run the rebuild again to finish it (coves.ingestor.rebuild.enabled=true) or reset the projections");
        });
    }
}
