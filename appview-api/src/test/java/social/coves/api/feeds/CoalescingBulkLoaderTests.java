package social.coves.api.feeds;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoalescingBulkLoaderTests {

    final List<Set<String>> loads = new CopyOnWriteArrayList<>();

    @Test
    void reloadsWithinTheWindowAreOneBulkLoad() throws Exception {
        CoalescingBulkLoader<String, String> reloads = new CoalescingBulkLoader<>(Duration.ofMillis(50), keys -> {
            loads.add(keys);
            return CompletableFuture.completedFuture(keys.stream().collect(Collectors.toMap(k -> k, k -> k + "'")));
        }, (current, fresh) -> fresh);
        CompletableFuture<String> a = reloads.asyncReload("a", null, Runnable::run), b = reloads.asyncReload("b", null, Runnable::run), again = reloads.asyncReload("a", null, Runnable::run);
        assertThat(a.get(2, TimeUnit.SECONDS)).isEqualTo("a'");
        assertThat(b.get(2, TimeUnit.SECONDS)).isEqualTo("b'");
        assertThat(again).isSameAs(a);
        assertThat(loads).containsExactly(Set.of("a", "b"));
        assertThat(reloads.asyncReload("c", null, Runnable::run).get(2, TimeUnit.SECONDS)).as("a later reload opens a new window").isEqualTo("c'");
        assertThat(loads).hasSize(2);
    }

    @Test
    void aFailedOrIncompleteLoadFailsItsReloads() {
        CoalescingBulkLoader<String, String> failing = new CoalescingBulkLoader<>(Duration.ofMillis(1),
                keys -> CompletableFuture.failedFuture(new IllegalStateException("database down")), (current, fresh) -> fresh);
        assertThatThrownBy(() -> failing.asyncReload("a", null, Runnable::run).get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("database down");
        CoalescingBulkLoader<String, String> partial = new CoalescingBulkLoader<>(Duration.ofMillis(1),
                keys -> CompletableFuture.completedFuture(Map.of("a", "a'")), (current, fresh) -> fresh);
        CompletableFuture<String> missing = partial.asyncReload("b", null, Runnable::run);
        assertThatThrownBy(() -> missing.get(2, TimeUnit.SECONDS)).hasMessageContaining("not reloaded: b");
    }

    @Test
    void aReloadKeepsWhatReuseChooses() throws Exception {
        CoalescingBulkLoader<String, String> reloads = new CoalescingBulkLoader<>(Duration.ofMillis(1),
                keys -> CompletableFuture.completedFuture(Map.of("same", new String("v1"), "changed", "v2")),
                (current, fresh) -> fresh.equals(current) ? current : fresh);
        String current = new String("v1");
        assertThat(reloads.asyncReload("same", current, Runnable::run).get(2, TimeUnit.SECONDS)).as("an equal value keeps the current object")
                .isSameAs(current);
        assertThat(reloads.asyncReload("changed", current, Runnable::run).get(2, TimeUnit.SECONDS)).isEqualTo("v2");
    }
}
