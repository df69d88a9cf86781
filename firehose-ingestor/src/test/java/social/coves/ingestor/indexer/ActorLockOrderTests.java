package social.coves.ingestor.indexer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.jetstream.SampleIds;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * New accounts' identity events and profile commits are indexed by two concurrent transactions (identity-events and
 * repo-events batches) that write the same {@code appview.actors} rows: they must not deadlock, whatever order the
 * events were delivered in.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class ActorLockOrderTests {

    private static final int ACCOUNTS = 40;

    @Inject
    Pool pool;

    @Inject
    RepoEventIndexer repo;

    @Inject
    IdentityEventIndexer identity;

    private final List<String> dids = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (String sql : List.of("DELETE FROM appview.records WHERE did = ANY($1)", "DELETE FROM appview.actors WHERE did = ANY($1)")) {
            pool.preparedQuery(sql).execute(Tuple.of((Object) dids.toArray(String[]::new))).await().indefinitely();
        }
    }

    @Test
    void identityAndProfileBatchesOfTheSameNewAccountsRunTogetherWithoutDeadlock() {
        for (int round = 0; round < 4; round++) {
            List<String> accounts = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                accounts.add(SampleIds.plcDid(9_000 + round, i));
            }
            dids.addAll(accounts);
            List<EventEnvelope> identities = accounts.stream().sorted().map(ActorLockOrderTests::identityEvent).toList();
            // the repo batch delivers the profiles in the opposite order: without a common lock order the two meet halfway
            List<EventEnvelope> profiles = accounts.stream().sorted(java.util.Comparator.reverseOrder())
                    .map(ActorLockOrderTests::profileCommit).toList();

            Uni<Void> identityBatch = pool.withTransaction(tx -> identity.batchHandler().apply(tx, identities));
            Uni<Void> repoBatch = pool.withTransaction(tx -> repo.applyBatch(tx, profiles));
            Uni.combine().all().unis(identityBatch, repoBatch).discardItems().await().atMost(Duration.ofSeconds(60));

            for (Row row : pool.preparedQuery("SELECT handle, display_name FROM appview.actors WHERE did = ANY($1)")
                    .execute(Tuple.of((Object) accounts.toArray(String[]::new))).await().indefinitely()) {
                assertThat(row.getString("handle")).endsWith(".coves.test");
                assertThat(row.getString("display_name")).startsWith("Account");
            }
        }
    }

    private static EventEnvelope identityEvent(String did) {
        return new EventEnvelope(EventEnvelope.CURRENT_VERSION, EventEnvelope.KIND_IDENTITY, did, 1_767_225_600_000_000L, null, "test",
                null, null, new EventEnvelope.Identity(did.substring(8, 20) + ".coves.test", 1L, "2026-01-01T00:00:00Z"), null);
    }

    private static EventEnvelope profileCommit(String did) {
        var record = JsonNodeFactory.instance.objectNode().put("$type", "social.coves.actor.profile")
                .put("displayName", "Account " + did.substring(8, 14)).put("createdAt", "2026-01-01T00:00:00Z");
        return new EventEnvelope(EventEnvelope.CURRENT_VERSION, EventEnvelope.KIND_COMMIT, did, 1_767_225_600_000_000L, null, "test", null,
                new EventEnvelope.Commit("create", "social.coves.actor.profile", "self", SampleIds.tid(1_767_225_600_000_000L, 1),
                        ScriptedHistory.CID, record), null, null);
    }
}
