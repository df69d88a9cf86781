package social.coves.ingestor.indexer.communities;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import social.coves.ingestor.indexer.identity.IdentityServiceClient;
import social.coves.ingestor.indexer.identity.VerificationRounds;

import java.net.URI;
import java.time.Duration;

/**
 * The indexer role's did:web {@code hostedBy} checks, outside the batch transactions. Every {@code interval} it claims
 * up to {@code batch-size} due communities (new or changed {@code hostedBy}, retries, rechecks) and asks identity-service
 * about each, at most {@code per-second} look-ups per pod, each HTTP call bounded by {@code timeout}. A verdict is stored
 * with its reason and rechecked after {@code recheck-after}; no answer (identity-service down, did:web host failing)
 * keeps the row pending (or keeps the previous verdict) and retries with exponential back-off from {@code retry-min}
 * to {@code retry-max}. Meter: {@code coves_indexer_hosting_checks_total{outcome=verified|refused|undecided}}.
 */
@ApplicationScoped
public class HostingVerificationJob {

    private static final Logger LOG = Logger.getLogger(HostingVerificationJob.class);

    private final HostingVerdicts verdicts;
    private final IdentityServiceClient identity;
    private final MeterRegistry metrics;
    private final boolean enabled;
    private final Duration recheckAfter;
    private final VerificationRounds rounds;

    public HostingVerificationJob(Pool pool, MeterRegistry metrics,
            @ConfigProperty(name = "coves.indexer.identity-url", defaultValue = "http://localhost:8081") URI identityUrl,
            @ConfigProperty(name = "coves.ingestor.indexer.enabled", defaultValue = "true") boolean indexerEnabled,
            HostingChecksConfig config) {
        this.verdicts = new HostingVerdicts(pool);
        this.identity = config.client(identityUrl);
        this.metrics = metrics;
        this.enabled = indexerEnabled && config.enabled();
        this.recheckAfter = config.recheckAfter();
        this.rounds = config.rounds();
    }

    void start(@Observes StartupEvent ignored) {
        if (enabled) {
            rounds.start("hosting-verifier", this::runOnce);
        }
    }

    void stop(@Observes ShutdownEvent ignored) {
        rounds.stop();
    }

    /** One round: claims the due communities and checks them, paced. Returns how many were checked. */
    public int runOnce() throws InterruptedException {
        return rounds.paced(verdicts.claim(rounds.batchSize(), rounds.lease()), this::check);
    }

    private void check(HostingVerdicts.Due community) throws InterruptedException {
        HostingOutcome outcome = identity.checkHosting(community.did(), community.hostedBy());
        switch (outcome) {
            case HostingOutcome.Decided verdict -> {
                verdicts.decide(community, verdict, recheckAfter);
                metrics.counter("coves_indexer_hosting_checks", "outcome", verdict.verified() ? "verified" : "refused").increment();
                if (!verdict.verified()) {
                    LOG.infof("indexer: community %s: hostedBy %s not verified (%s: %s)", community.did(), community.hostedBy(),
                            verdict.reason(), verdict.message());
                }
            }
            case HostingOutcome.Undecided why -> {
                verdicts.postpone(community, why, rounds.backOff(community.attempts()));
                metrics.counter("coves_indexer_hosting_checks", "outcome", "undecided").increment();
                LOG.debugf("indexer: community %s: no hosting verdict yet (%s: %s)", community.did(), why.reason(), why.message());
            }
        }
    }
}
