package social.coves.api.aggregators;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.communities.accounts.CommunityAccount;
import social.coves.api.xrpc.XrpcException;

import java.util.Optional;

/**
 * The rules {@code post.create} adds when the caller is a registered aggregator: it must have declared itself (an
 * indexed {@code social.coves.aggregator.service} record), the community's repository must hold an enabled
 * authorization for it ({@link CommunityAuthorizations}),
 * and it may make at most {@code coves.aggregators.posts-per-hour} posts per community in any rolling hour (trusted
 * aggregators excepted), counted in PostgreSQL so every API replica sees the same count.
 */
@ApplicationScoped
public class AggregatorPosting {

    /** An admitted aggregator post: report what became of it, so a post that was not written does not count. */
    public interface Admission {
        void posted(String uri);

        void failed();
    }

    private final AggregatorStore store;
    private final CommunityAuthorizations authorizations;
    private final AggregatorConfig config;
    private final MeterRegistry meters;

    public AggregatorPosting(AggregatorStore store, CommunityAuthorizations authorizations, AggregatorConfig config,
                             MeterRegistry meters) {
        this.store = store;
        this.authorizations = authorizations;
        this.config = config;
        this.meters = meters;
    }

    /** {@code coves_api_aggregator_posts_total{outcome}}: written, failed (the PDS write), quota (429), not_authorized (403). */
    private void count(String outcome) {
        meters.counter("coves_api_aggregator_posts_total", "outcome", outcome).increment();
    }

    /** A trusted aggregator's post: not held against any quota, only counted in the metric. */
    private Admission unlimited() {
        return new Admission() {
            @Override
            public void posted(String uri) {
                count("written");
            }

            @Override
            public void failed() {
                count("failed");
            }
        };
    }

    /** Empty when {@code caller} is not a registered aggregator (the ordinary rules apply); else admits or refuses. */
    public Optional<Admission> admit(String caller, CommunityAccount community) {
        if (!store.isRegistered(caller)) {
            return Optional.empty();
        }
        if (!store.isDeclared(caller)) {
            count("not_authorized");
            throw new XrpcException(403, "NotAuthorized", "aggregator " + caller + " has no social.coves.aggregator.service "
                    + "record (rkey self) in its repository yet; publish it before posting");
        }
        if (!authorizations.isEnabled(community, caller)) {
            count("not_authorized");
            throw new XrpcException(403, "NotAuthorized", "community " + community.did() + " has not authorised aggregator " + caller
                    + " (no enabled social.coves.aggregator.authorization record in its repository)");
        }
        if (config.isTrusted(caller)) {
            return Optional.of(unlimited());
        }
        AggregatorStore.Quota quota = store.reserve(caller, community.did(), config.postsPerHour());
        if (!quota.admitted()) {
            count("quota");
            throw new XrpcException(429, "RateLimitExceeded", "aggregator " + caller + " has made " + config.postsPerHour()
                    + " posts in " + community.did() + " in the last hour; retry after " + quota.retryAfterSeconds() + " s")
                    .retryAfter(quota.retryAfterSeconds());
        }
        long reservation = quota.reservation();
        return Optional.of(new Admission() {
            @Override
            public void posted(String uri) {
                store.posted(reservation, uri);
                count("written");
            }

            @Override
            public void failed() {
                store.release(reservation);
                count("failed");
            }
        });
    }
}
