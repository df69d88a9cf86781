package social.coves.api.xrpc;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletableFuture;

/**
 * Waits for an answer another request (or a cache) is loading, and continues on this request's own Vert.x context:
 * the loader's callbacks run on whichever event loop issued its query, and this request's next query must not.
 */
public final class CallerContext {

    private CallerContext() {
    }

    /** {@code shared} as a Uni of this request; a copy, so cancelling this wait cannot cancel the shared future. */
    public static <T> Uni<T> await(CompletableFuture<T> shared) {
        Uni<T> wait = Uni.createFrom().completionStage(shared.copy());
        Context context = Vertx.currentContext();
        if (!shared.isDone() && context != null) {
            wait = wait.emitOn(task -> context.runOnContext(ignored -> task.run()));
        }
        return wait;
    }
}
