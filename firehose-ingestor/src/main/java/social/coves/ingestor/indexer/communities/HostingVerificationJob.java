package social.coves.ingestor.indexer.communities;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    private final Duration interval;
    private final int batchSize;
    private final long pauseNanos;
    private final Duration retryMin;
    private final Duration retryMax;
    private final Duration recheckAfter;
    private final Duration lease;
    private ScheduledExecutorService scheduler;

    public HostingVerificationJob(Pool pool, MeterRegistry metrics,
            @ConfigProperty(name = "coves.indexer.identity-url", defaultValue = "http://localhost:8081") URI identityUrl,
            @ConfigProperty(name = "coves.ingestor.indexer.enabled", defaultValue = "true") boolean indexerEnabled,
            @ConfigProperty(name = "coves.indexer.hosting.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "coves.indexer.hosting.interval", defaultValue = "PT5S") Duration interval,
            @ConfigProperty(name = "coves.indexer.hosting.batch-size", defaultValue = "50") int batchSize,
            @ConfigProperty(name = "coves.indexer.hosting.per-second", defaultValue = "10") double perSecond,
            @ConfigProperty(name = "coves.indexer.hosting.connect-timeout", defaultValue = "PT2S") Duration connectTimeout,
            @ConfigProperty(name = "coves.indexer.hosting.timeout", defaultValue = "PT10S") Duration timeout,
            @ConfigProperty(name = "coves.indexer.hosting.retry-min", defaultValue = "PT30S") Duration retryMin,
            @ConfigProperty(name = "coves.indexer.hosting.retry-max", defaultValue = "PT30M") Duration retryMax,
            @ConfigProperty(name = "coves.indexer.hosting.recheck-after", defaultValue = "P1D") Duration recheckAfter) {
        this.verdicts = new HostingVerdicts(pool);
        this.identity = new IdentityServiceClient(identityUrl, connectTimeout, timeout);
        this.metrics = metrics;
        this.enabled = indexerEnabled && enabled;
        this.interval = interval;
        this.batchSize = batchSize;
        this.pauseNanos = (long) (1e9 / perSecond);
        this.retryMin = retryMin;
        this.retryMax = retryMax;
        this.recheckAfter = recheckAfter;
        // a claimed row comes back by itself if this pod dies mid-batch: after the whole batch could have run, twice
        this.lease = timeout.multipliedBy(2L * batchSize).plusNanos(pauseNanos * batchSize).plusMinutes(1);
    }

    void start(@Observes StartupEvent ignored) {
        if (!enabled) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("hosting-verifier").daemon().unstarted(r));
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warnf("indexer: hostedBy verification round failed: %s", e.getMessage());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** One round: claims the due communities and checks them, paced. Returns how many were checked. */
    public int runOnce() throws InterruptedException {
        List<HostingVerdicts.Due> due = verdicts.claim(batchSize, lease);
        long next = System.nanoTime();
        for (HostingVerdicts.Due community : due) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next = System.nanoTime() + pauseNanos;
            check(community);
        }
        return due.size();
    }

    private void check(HostingVerdicts.Due community) throws InterruptedException {
        HostingOutcome outcome = identity.check(community.did(), community.hostedBy());
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
                verdicts.postpone(community, why, backOff(community.attempts()));
                metrics.counter("coves_indexer_hosting_checks", "outcome", "undecided").increment();
                LOG.debugf("indexer: community %s: no hosting verdict yet (%s: %s)", community.did(), why.reason(), why.message());
            }
        }
    }

    /** retry-min, doubling per failed attempt, capped at retry-max. */
    Duration backOff(int attempts) {
        Duration delay = retryMin.multipliedBy(1L << Math.min(attempts, 20));
        return delay.compareTo(retryMax) > 0 ? retryMax : delay;
    }
}
