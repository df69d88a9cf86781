package social.coves.ingestor.indexer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import social.coves.lexicon.envelope.EventEnvelope;

import java.util.Arrays;

/**
 * The indexer role for {@code coves.identity-events.v1}: handles from identity events, account status from account
 * events. Older events never overwrite newer ones (handles by upstream sequence; account status by upstream sequence,
 * else by Jetstream time). An identity event also makes the account's handle due for verification at once
 * ({@code actors.HandleVerificationJob}): the handle it claims is shown only until identity-service has checked it.
 */
@ApplicationScoped
public class IdentityEventIndexer {

    private static final String HANDLE = """
            INSERT INTO appview.actors AS a (did, handle, identity_seq) VALUES ($1, $2, $3)
            ON CONFLICT (did) DO UPDATE SET handle = COALESCE(EXCLUDED.handle, a.handle), identity_seq = EXCLUDED.identity_seq,
                   handle_next_check = now(), updated_at = now()
             WHERE a.identity_seq IS NULL OR EXCLUDED.identity_seq IS NULL OR a.identity_seq <= EXCLUDED.identity_seq""";

    /**
     * Newer account events win: by the upstream sequence when both events carry one (one relay's order), else by the
     * Jetstream {@code time_us}. Equal positions apply again (a redelivery changes nothing).
     */
    private static final String STATUS = """
            INSERT INTO appview.actors AS a (did, active, status, account_seq, account_time_us) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (did) DO UPDATE SET active = EXCLUDED.active, status = EXCLUDED.status, account_seq = EXCLUDED.account_seq,
                   account_time_us = EXCLUDED.account_time_us, updated_at = now()
             WHERE a.account_time_us IS NULL
                OR (a.account_seq IS NOT NULL AND EXCLUDED.account_seq IS NOT NULL AND a.account_seq <= EXCLUDED.account_seq)
                OR ((a.account_seq IS NULL OR EXCLUDED.account_seq IS NULL) AND a.account_time_us <= EXCLUDED.account_time_us)""";

    private final BatchTransaction batches;
    private final String groupId;

    public IdentityEventIndexer(BatchTransaction batches,
                                @ConfigProperty(name = "mp.messaging.incoming.identity-events.group.id") String groupId) {
        this.batches = batches;
        this.groupId = groupId;
    }

    @Incoming("identity-events")
    public Uni<Void> index(ConsumerRecords<String, String> records) {
        return batches.apply(groupId, records, batchHandler());
    }

    /** A batch one envelope after the other, in DID order ({@link ActorLockOrder}). */
    public BatchTransaction.BatchHandler batchHandler() {
        BatchTransaction.BatchHandler inOrder = BatchTransaction.BatchHandler.sequential(this::apply);
        return (tx, envelopes) -> inOrder.apply(tx, ActorLockOrder.sorted(envelopes, EventEnvelope::did));
    }

    /** Applies one identity/account envelope (inside the caller's batch transaction). */
    public Uni<Void> apply(SqlConnection tx, EventEnvelope event) {
        if (event.identity() != null) {
            String handle = event.identity().handle() == null ? null : event.identity().handle().toLowerCase(java.util.Locale.ROOT);
            return tx.preparedQuery(HANDLE).execute(Tuple.tuple(Arrays.asList(event.did(), handle, event.identity().seq()))).replaceWithVoid();
        }
        if (event.account() != null) {
            return tx.preparedQuery(STATUS)
                    .execute(Tuple.tuple(Arrays.asList(event.did(), event.account().active(), event.account().status(),
                            event.account().seq(), event.timeUs())))
                    .replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }
}
