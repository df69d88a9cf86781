package social.coves.identity.cache;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import social.coves.identity.metrics.IdentityMetrics;
import social.coves.identity.resolution.IdentityService;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;

import java.util.Optional;

/**
 * Purges cached identities when {@code coves.identity-events.v1} says they changed. Every pod consumes with its own
 * group (see application.properties) from the latest offset: a purge only matters for what is cached now.
 */
@ApplicationScoped
public class IdentityEventsConsumer {

    private static final Logger LOG = Logger.getLogger(IdentityEventsConsumer.class);

    private final IdentityService identities;
    private final IdentityMetrics metrics;

    public IdentityEventsConsumer(IdentityService identities, IdentityMetrics metrics) {
        this.identities = identities;
        this.metrics = metrics;
    }

    @Incoming("identity-events")
    @Blocking
    public void onEvent(String json) {
        EventEnvelope envelope;
        try {
            envelope = EnvelopeCodec.decode(json);
        } catch (RuntimeException e) {
            LOG.warnf("skipping an undecodable identity event: %s", e.getMessage());
            return;
        }
        if (!EventEnvelope.KIND_IDENTITY.equals(envelope.kind()) && !EventEnvelope.KIND_ACCOUNT.equals(envelope.kind())) {
            return;
        }
        Optional<String> handle = Optional.ofNullable(envelope.identity()).map(EventEnvelope.Identity::handle);
        identities.purge(envelope.did(), handle);
        metrics.purge(envelope.kind());
    }
}
