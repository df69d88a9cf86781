package social.coves.ingestor.indexer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Rows of {@code appview.actors} are written by two concurrent transactions: the repo-events batch (actor profiles)
 * and the identity-events batch (handles, account status). A new account's identity event and profile commit arrive
 * together on the two topics, so each batch takes those row locks in DID order, or the two deadlock (and the retry's
 * back-off stalls both consumers for seconds).
 */
final class ActorLockOrder {

    private ActorLockOrder() {
    }

    /** The items by DID; a stable sort, so each DID's items keep their delivery order. */
    static <T> List<T> sorted(List<T> items, Function<T, String> did) {
        List<T> out = new ArrayList<>(items);
        out.sort(Comparator.comparing(did));
        return out;
    }
}
