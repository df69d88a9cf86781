package social.coves.identity.resolution;

import social.coves.identity.metrics.IdentityMetrics;
import social.coves.identity.safety.FetchException;
import social.coves.identity.safety.FetchGate;
import social.coves.identity.safety.HttpResult;
import social.coves.identity.safety.SafeHttpClient;

import java.net.URI;
import java.time.Duration;

/** Every outbound identity fetch goes through here: admission (rate limits, slots), the safe client, metrics. */
public final class GuardedFetcher {

    private final SafeHttpClient client;
    private final FetchGate gate;
    private final IdentityMetrics metrics;

    public GuardedFetcher(SafeHttpClient client, FetchGate gate, IdentityMetrics metrics) {
        this.client = client;
        this.gate = gate;
        this.metrics = metrics;
    }

    public HttpResult get(String source, URI uri, int maxBytes, String accept, boolean isPlc) throws FetchException {
        long start = System.nanoTime();
        try (FetchGate.Permit ignored = gate.enter(uri.getHost(), isPlc)) {
            return client.get(uri, maxBytes, accept);
        } catch (FetchException e) {
            if (e.failure().isRefusal()) {
                metrics.refusal(e.failure());
            }
            throw e;
        } finally {
            metrics.fetchTime(source, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
