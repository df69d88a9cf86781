package social.coves.api.admission;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ArrivalOrderQueueTests {

    @Test
    void startsUpToTheLimitThenInArrivalOrderAsPlacesFree() {
        ArrivalOrderQueue queue = new ArrivalOrderQueue(2, 3);
        List<String> started = new ArrayList<>();

        assertThat(queue.offer(() -> started.add("a"))).isEqualTo(ArrivalOrderQueue.Offer.STARTED);
        assertThat(queue.offer(() -> started.add("b"))).isEqualTo(ArrivalOrderQueue.Offer.STARTED);
        assertThat(queue.offer(() -> started.add("c"))).isEqualTo(ArrivalOrderQueue.Offer.WAITING);
        assertThat(queue.offer(() -> started.add("d"))).isEqualTo(ArrivalOrderQueue.Offer.WAITING);
        assertThat(started).containsExactly("a", "b");
        assertThat(queue.running()).isEqualTo(2);
        assertThat(queue.waiting()).isEqualTo(2);

        queue.finished();
        assertThat(started).containsExactly("a", "b", "c");
        queue.finished();
        queue.finished();
        assertThat(started).containsExactly("a", "b", "c", "d");
        assertThat(queue.running()).isEqualTo(1);
        queue.finished();
        assertThat(queue.running()).isZero();
        assertThat(queue.waiting()).isZero();
    }

    @Test
    void refusesBeyondTheWaitingLimitAndTakesMoreOnceItShrinks() {
        ArrivalOrderQueue queue = new ArrivalOrderQueue(1, 1);
        queue.offer(() -> { });
        assertThat(queue.offer(() -> { })).isEqualTo(ArrivalOrderQueue.Offer.WAITING);
        assertThat(queue.offer(() -> { })).isEqualTo(ArrivalOrderQueue.Offer.REFUSED);

        queue.finished();
        assertThat(queue.offer(() -> { })).isEqualTo(ArrivalOrderQueue.Offer.WAITING);
        assertThat(queue.running()).isEqualTo(1);
    }
}
