package social.coves.ingestor.indexer.communities;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hosting columns of {@code appview.communities} as the verification job's queue. Each statement is its own short
 * transaction, never held across a network call: due rows are claimed by pushing their next check out by a lease
 * ({@code SKIP LOCKED}, so indexer replicas share the work and a batch holding a row is not waited for), and a result
 * is written only if {@code hostedBy} is still the value that was checked (a profile update in between wins).
 */
public class HostingVerdicts {

    /** A community whose hosting is due for a check. */
    public record Due(String did, String hostedBy, int attempts) {
    }

    private static final String CLAIM = """
            UPDATE appview.communities c SET hosted_by_next_check = now() + make_interval(secs => $2)
             WHERE c.did IN (SELECT did FROM appview.communities WHERE hosted_by_next_check <= now()
                              ORDER BY hosted_by_next_check LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING c.did, c.hosted_by, c.hosted_by_attempts""";

    private static final String DECIDE = """
            UPDATE appview.communities SET hosted_by_verified = $2, hosted_by_reason = $3, hosted_by_message = $4,
                   hosted_by_handle = $5, hosted_by_checked_at = now(), hosted_by_attempts = 0,
                   hosted_by_next_check = now() + make_interval(secs => $6)
             WHERE did = $1 AND hosted_by IS NOT DISTINCT FROM $7""";

    /** No answer: a pending row says why; a decided verdict stands until a definite answer replaces it. */
    private static final String POSTPONE = """
            UPDATE appview.communities SET hosted_by_reason = CASE WHEN hosted_by_verified IS NULL THEN $2 ELSE hosted_by_reason END,
                   hosted_by_message = $3, hosted_by_checked_at = now(), hosted_by_attempts = hosted_by_attempts + 1,
                   hosted_by_next_check = now() + make_interval(secs => $4)
             WHERE did = $1 AND hosted_by IS NOT DISTINCT FROM $5""";

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Pool pool;

    public HostingVerdicts(Pool pool) {
        this.pool = pool;
    }

    public List<Due> claim(int limit, Duration lease) {
        List<Due> due = new ArrayList<>();
        for (Row r : pool.preparedQuery(CLAIM).execute(Tuple.of(limit, lease.toMillis() / 1000.0)).await().atMost(WAIT)) {
            due.add(new Due(r.getString("did"), r.getString("hosted_by"), r.getInteger("hosted_by_attempts")));
        }
        return due;
    }

    public void decide(Due due, HostingOutcome.Decided verdict, Duration recheckAfter) {
        pool.preparedQuery(DECIDE).execute(Tuple.tuple(Arrays.asList(due.did(), verdict.verified(), verdict.reason(),
                verdict.message(), verdict.handle(), recheckAfter.toMillis() / 1000.0, due.hostedBy()))).await().atMost(WAIT);
    }

    public void postpone(Due due, HostingOutcome.Undecided why, Duration retryIn) {
        pool.preparedQuery(POSTPONE).execute(Tuple.tuple(Arrays.asList(due.did(), why.reason(), why.message(),
                retryIn.toMillis() / 1000.0, due.hostedBy()))).await().atMost(WAIT);
    }
}
