package social.coves.ingestor.indexer.actors;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import social.coves.ingestor.indexer.identity.IdentityServiceClient;
import social.coves.ingestor.indexer.identity.IdentityServiceClient.HandleAnswer;
import social.coves.ingestor.indexer.identity.VerificationRounds;

import java.net.URI;
import java.time.Duration;

/**
 * Verified handles, outside the batch transactions: an account seen for the first time, or named by an identity event,
 * is due at once; the job asks identity-service for the DID's bidirectionally verified handle and stores it (or
 * {@code handle.invalid}) in {@code verified_handle}, which every view shows in place of the claimed handle, and checks
 * again after {@code recheck-after}. identity-service being down only delays handles (back-off; the claimed handle stays
 * shown), never the fold. Meter: {@code coves_indexer_handle_checks_total{outcome=verified|invalid|undecided}}.
 */
@ApplicationScoped
public class HandleVerificationJob {

    private static final Logger LOG = Logger.getLogger(HandleVerificationJob.class);

    private final HandleChecks checks;
    private final IdentityServiceClient identity;
    private final MeterRegistry metrics;
    private final boolean enabled;
    private final Duration recheckAfter;
    private final VerificationRounds rounds;

    public HandleVerificationJob(Pool pool, MeterRegistry metrics,
            @ConfigProperty(name = "coves.indexer.identity-url", defaultValue = "http://localhost:8081") URI identityUrl,
            @ConfigProperty(name = "coves.ingestor.indexer.enabled", defaultValue = "true") boolean indexerEnabled,
            HandleChecksConfig config) {
        this.checks = new HandleChecks(pool);
        this.identity = config.client(identityUrl);
        this.metrics = metrics;
        this.enabled = indexerEnabled && config.enabled();
        this.recheckAfter = config.recheckAfter();
        this.rounds = config.rounds();
    }

    void start(@Observes StartupEvent ignored) {
        if (enabled) {
            rounds.start("handle-verifier", this::runOnce);
        }
    }

    void stop(@Observes ShutdownEvent ignored) {
        rounds.stop();
    }

    /** One round: claims the due accounts and checks them, paced. Returns how many were checked. */
    public int runOnce() throws InterruptedException {
        return rounds.paced(checks.claim(rounds.batchSize(), rounds.lease()), this::check);
    }

    private void check(HandleChecks.Due account) throws InterruptedException {
        switch (identity.handleOf(account.did())) {
            case HandleAnswer.Handle answer -> {
                checks.verified(account, answer.handle(), recheckAfter);
                boolean valid = !IdentityServiceClient.INVALID_HANDLE.equals(answer.handle());
                metrics.counter("coves_indexer_handle_checks", "outcome", valid ? "verified" : "invalid").increment();
                if (!valid && account.claimedHandle() != null) {
                    LOG.debugf("indexer: %s claims %s, which does not verify", account.did(), account.claimedHandle());
                }
            }
            case HandleAnswer.NotResolved not -> {
                checks.verified(account, IdentityServiceClient.INVALID_HANDLE, recheckAfter);
                metrics.counter("coves_indexer_handle_checks", "outcome", "invalid").increment();
                LOG.debugf("indexer: %s does not resolve (%s: %s)", account.did(), not.error(), not.message());
            }
            case HandleAnswer.NoAnswer none -> {
                checks.postpone(account, rounds.backOff(account.attempts()));
                metrics.counter("coves_indexer_handle_checks", "outcome", "undecided").increment();
                LOG.debugf("indexer: no handle answer for %s yet (%s)", account.did(), none.message());
            }
        }
    }
}
