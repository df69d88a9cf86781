package social.coves.api.xrpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class SharedReadsTests {

    record Page(String title, int n) {
    }

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AtomicInteger loads = new AtomicInteger();
    private CompletableFuture<Page> gate = new CompletableFuture<>();

    private SharedReads reads(boolean enabled, Duration ttl) {
        return new SharedReads(new ObjectMapper(), metrics, enabled, ttl, 1 << 20);
    }

    /** A load that counts itself and answers when the test completes {@link #gate}. */
    private Supplier<Uni<Page>> load() {
        return () -> {
            loads.incrementAndGet();
            CompletableFuture<Page> g = gate;
            return Uni.createFrom().completionStage(g);
        };
    }

    private static UniAssertSubscriber<Response> subscribe(Uni<Response> uni) {
        return uni.subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    private static String body(UniAssertSubscriber<Response> s) {
        return new String((byte[]) s.awaitItem().getItem().getEntity(), StandardCharsets.UTF_8);
    }

    private double count(String result) {
        var counter = metrics.find("coves_api_shared_reads").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void identicalReadsInFlightShareOneLoadAndOneBody() {
        SharedReads reads = reads(true, Duration.ZERO);
        var first = subscribe(reads.json("getCommunity", load(), "c1", "hot", 15, null));
        var second = subscribe(reads.json("getCommunity", load(), "c1", "hot", 15, null));
        assertThat(loads).hasValue(1);
        gate.complete(new Page("hello", 1));
        assertThat(body(first)).isEqualTo("{\"title\":\"hello\",\"n\":1}");
        assertThat(body(second)).isEqualTo(body(first));
        assertThat(second.getItem().getMediaType().toString()).isEqualTo("application/json");
        assertThat(count("loaded")).isEqualTo(1);
        assertThat(count("joined")).isEqualTo(1);
    }

    @Test
    void aFinishedReadIsNotKeptWithoutATtl() {
        SharedReads reads = reads(true, Duration.ZERO);
        gate.complete(new Page("old", 1));
        assertThat(body(subscribe(reads.json("getCommunity", load(), "c1")))).contains("old");
        gate = CompletableFuture.completedFuture(new Page("new", 2));
        assertThat(body(subscribe(reads.json("getCommunity", load(), "c1")))).contains("new");
        assertThat(loads).hasValue(2);
    }

    @Test
    void otherParametersLoadOnTheirOwn() {
        SharedReads reads = reads(true, Duration.ZERO);
        subscribe(reads.json("getCommunity", load(), "c1", "hot"));
        subscribe(reads.json("getCommunity", load(), "c1", "new"));
        subscribe(reads.json("getCommunity", load(), "c1", "hot", "cursor"));
        subscribe(reads.json("getDiscover", load(), "c1", "hot"));
        assertThat(loads).hasValue(4);
    }

    @Test
    void aFailureReachesEveryJoinedReadAndIsNotKept() {
        SharedReads reads = reads(true, Duration.ofHours(1));
        var first = subscribe(reads.json("getCommunity", load(), "c1"));
        var second = subscribe(reads.json("getCommunity", load(), "c1"));
        XrpcException notFound = XrpcException.notFound("CommunityNotFound", "community not found: c1");
        gate.completeExceptionally(notFound);
        first.awaitFailure().assertFailedWith(XrpcException.class, "community not found: c1");
        second.awaitFailure().assertFailedWith(XrpcException.class, "community not found: c1");
        gate = CompletableFuture.completedFuture(new Page("now there", 1));
        assertThat(body(subscribe(reads.json("getCommunity", load(), "c1")))).contains("now there");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aLoadThatThrowsFailsItsReadAndFreesTheKey() {
        SharedReads reads = reads(true, Duration.ZERO);
        Supplier<Uni<Page>> throwing = () -> {
            throw XrpcException.invalidRequest("bad cursor");
        };
        subscribe(reads.json("getCommunity", throwing, "c1")).awaitFailure().assertFailedWith(XrpcException.class, "bad cursor");
        gate.complete(new Page("fine", 1));
        assertThat(body(subscribe(reads.json("getCommunity", load(), "c1")))).contains("fine");
    }

    @Test
    void theFirstClientHangingUpDoesNotCancelTheOthers() {
        SharedReads reads = reads(true, Duration.ZERO);
        var first = subscribe(reads.json("getCommunity", load(), "c1"));
        var second = subscribe(reads.json("getCommunity", load(), "c1"));
        first.cancel();
        gate.complete(new Page("still here", 1));
        assertThat(body(second)).contains("still here");
        assertThat(gate.isCancelled()).isFalse();
    }

    @Test
    void aViewersReadIsSharedOnlyWithThatViewer() {
        SharedReads reads = reads(true, Duration.ZERO);
        var alice = subscribe(reads.jsonFor("did:plc:alice", "getTimeline", load(), "hot", 15, null));
        var aliceAgain = subscribe(reads.jsonFor("did:plc:alice", "getTimeline", load(), "hot", 15, null));
        subscribe(reads.jsonFor("did:plc:bob", "getTimeline", load(), "hot", 15, null));
        subscribe(reads.json("getTimeline", load(), "hot", 15, null));
        assertThat(loads).hasValue(3);
        gate.complete(new Page("alice's", 1));
        assertThat(body(aliceAgain)).isEqualTo(body(alice));
    }

    @Test
    void aViewersFinishedReadIsNotKeptEvenWithATtl() {
        SharedReads reads = reads(true, Duration.ofHours(1));
        gate.complete(new Page("before my vote", 1));
        subscribe(reads.jsonFor("did:plc:alice", "getCommunity", load(), "c1")).awaitItem();
        gate = CompletableFuture.completedFuture(new Page("after my vote", 2));
        assertThat(body(subscribe(reads.jsonFor("did:plc:alice", "getCommunity", load(), "c1")))).contains("after my vote");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aTtlServesFinishedAnswersUntilItEnds() {
        SharedReads reads = reads(true, Duration.ofHours(1));
        gate.complete(new Page("kept", 1));
        subscribe(reads.json("getComments", load(), "post")).awaitItem();
        gate = CompletableFuture.completedFuture(new Page("newer", 2));
        assertThat(body(subscribe(reads.json("getComments", load(), "post")))).contains("kept");
        assertThat(loads).hasValue(1);
        assertThat(count("recent")).isEqualTo(1);
    }

    @Test
    void offEveryReadLoads() {
        SharedReads reads = reads(false, Duration.ofHours(1));
        var first = subscribe(reads.json("getCommunity", load(), "c1"));
        var second = subscribe(reads.json("getCommunity", load(), "c1"));
        gate.complete(new Page("x", 1));
        assertThat(body(first)).isEqualTo(body(second));
        assertThat(loads).hasValue(2);
        assertThat(metrics.find("coves_api_shared_reads").counters()).isEmpty();
    }
}
