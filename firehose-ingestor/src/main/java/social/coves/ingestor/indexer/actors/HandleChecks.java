package social.coves.ingestor.indexer.actors;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The handle columns of {@code appview.actors} as {@link HandleVerificationJob}'s queue. Each statement is its own
 * short transaction, never held across a network call: due rows are claimed by pushing their next check out by a
 * lease ({@code SKIP LOCKED}: replicas share the work and never wait for a row a batch holds), and an answer is written
 * only if nothing asked for a new check meanwhile (an identity event sets the next check to now).
 */
public class HandleChecks {

    /** An account whose handle is due for a check; {@code claimedUntil} identifies this claim. */
    public record Due(String did, String claimedHandle, int attempts, OffsetDateTime claimedUntil) {
    }

    private static final String CLAIM = """
            UPDATE appview.actors a SET handle_next_check = now() + make_interval(secs => $2)
             WHERE a.did IN (SELECT did FROM appview.actors WHERE handle_next_check <= now()
                              ORDER BY handle_next_check LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING a.did, a.handle, a.handle_attempts, a.handle_next_check""";

    private static final String VERIFIED = """
            UPDATE appview.actors SET verified_handle = $2, handle_checked_at = now(), handle_attempts = 0,
                   handle_next_check = now() + make_interval(secs => $3)
             WHERE did = $1 AND handle_next_check = $4""";

    private static final String POSTPONE = """
            UPDATE appview.actors SET handle_attempts = handle_attempts + 1, handle_next_check = now() + make_interval(secs => $2)
             WHERE did = $1 AND handle_next_check = $3""";

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Pool pool;

    public HandleChecks(Pool pool) {
        this.pool = pool;
    }

    public List<Due> claim(int limit, Duration lease) {
        List<Due> due = new ArrayList<>();
        for (Row r : pool.preparedQuery(CLAIM).execute(Tuple.of(limit, seconds(lease))).await().atMost(WAIT)) {
            due.add(new Due(r.getString("did"), r.getString("handle"), r.getInteger("handle_attempts"), r.getOffsetDateTime("handle_next_check")));
        }
        return due;
    }

    /** identity-service answered: the verified handle, or {@code handle.invalid}. */
    public void verified(Due due, String handle, Duration recheckAfter) {
        pool.preparedQuery(VERIFIED).execute(Tuple.of(due.did(), handle, seconds(recheckAfter), due.claimedUntil())).await().atMost(WAIT);
    }

    /** No answer: the handle shown stays as it is; try again after {@code retryIn}. */
    public void postpone(Due due, Duration retryIn) {
        pool.preparedQuery(POSTPONE).execute(Tuple.of(due.did(), seconds(retryIn), due.claimedUntil())).await().atMost(WAIT);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
