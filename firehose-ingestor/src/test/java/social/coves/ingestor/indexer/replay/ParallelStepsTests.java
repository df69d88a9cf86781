package social.coves.ingestor.indexer.replay;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rebuild's end runner on real PostgreSQL: steps on two connections, each after what it waits for, stopping at a failure. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class ParallelStepsTests {

    @Inject
    Pool pool;

    @BeforeEach
    void createLog() {
        pool.query("CREATE TABLE public.parallel_steps_log (step text, at timestamptz DEFAULT clock_timestamp())").execute().await().indefinitely();
    }

    @AfterEach
    void dropLog() {
        pool.query("DROP TABLE public.parallel_steps_log").execute().await().indefinitely();
    }

    @Test
    void stepsRunOnSeveralConnectionsAndEachWaitsForWhatItNamesOnly() {
        ParallelSteps.run(pool, List.of(
                step("slow", Set.of(), "SELECT pg_sleep(0.5)"),
                step("fast", Set.of(), null),
                step("after slow", Set.of("slow"), null)), 2, "test: ");
        assertThat(log()).containsExactly("fast", "slow", "after slow");
    }

    @Test
    void aFailedStepStopsTheStepsThatWaitForItAndIsRethrown() {
        assertThatThrownBy(() -> ParallelSteps.run(pool, List.of(
                step("boom", Set.of(), "SELECT 1 / 0"),
                step("after boom", Set.of("boom"), null)), 2, "test: "))
                .hasMessageContaining("division by zero");
        assertThat(log()).doesNotContain("after boom");
        assertThatThrownBy(() -> ParallelSteps.run(pool, List.of(step("late", Set.of("early"), null)), 1, "test: "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an earlier step");
    }

    /** A step that runs {@code first} (if any), then logs its name, in one transaction. */
    private static ParallelSteps.Step step(String name, Set<String> after, String first) {
        return new ParallelSteps.Step(name, after, tx -> (first == null ? tx.query("SELECT 1").execute() : tx.query(first).execute())
                .chain(() -> tx.preparedQuery("INSERT INTO public.parallel_steps_log (step) VALUES ($1)")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(name))));
    }

    private List<String> log() {
        List<String> out = new ArrayList<>();
        for (Row row : pool.query("SELECT step FROM public.parallel_steps_log ORDER BY at").execute().await().indefinitely()) {
            out.add(row.getString(0));
        }
        return out;
    }
}
