package social.coves.ingestor.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;

import java.util.function.Supplier;

/**
 * Runs asynchronous work with a span current for its whole duration, so that the reactive SQL client's spans
 * become its children. Quarkus keeps the current OpenTelemetry context in the Vert.x duplicated context, which the
 * work's callbacks share; off a duplicated context (no safe place to keep it) the work just runs unparented.
 */
public final class SpanScope {

    private SpanScope() {
    }

    public static <T> Uni<T> within(Span span, Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Scope scope = VertxContext.isOnDuplicatedContext() ? Context.current().with(span).makeCurrent() : Scope.noop();
            Uni<T> uni;
            try {
                uni = work.get();
            } catch (RuntimeException e) {
                scope.close();
                emitter.fail(e);
                return;
            }
            uni.subscribe().with(item -> {
                scope.close();
                emitter.complete(item);
            }, error -> {
                scope.close();
                emitter.fail(error);
            });
        });
    }
}
