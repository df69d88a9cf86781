package social.coves.identity.safety;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import social.coves.identity.support.FakeNetwork;
import social.coves.identity.support.FakeNetwork.Route;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client on its own, against the fake network's HTTP server, with a map-based resolver seam. */
class SafeHttpClientTest {

    private static final Map<String, String> HOSTS = Map.of(
            "ok.test", "127.0.0.1", "evil.test", "10.0.0.7", "meta.test", "169.254.169.254", "v6.test", "fd12::1");
    private static final HostResolver RESOLVER = host -> {
        String ip = HOSTS.get(host);
        if (ip == null) {
            throw new FetchException(FetchFailure.NO_ADDRESS, "unknown " + host);
        }
        try {
            return List.of(InetAddress.getByName(ip));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    };
    private static final SafeHttpClient.Settings SETTINGS =
            new SafeHttpClient.Settings(Duration.ofMillis(500), Duration.ofMillis(400), Duration.ofMillis(1200), "test");

    private static FakeNetwork network;

    @BeforeAll
    static void routes() {
        network = FakeNetwork.get();
        network.route("ok.test", "/small", Route.text("did:plc:abc"));
        network.route("ok.test", "/big", Route.text("x".repeat(10_000)));
        network.route("ok.test", "/slow", Route.text("late").delayed(3_000));
        network.route("ok.test", "/moved", Route.redirect("http://169.254.169.254/latest/meta-data"));
    }

    private static SafeHttpClient client(boolean localMode) {
        return new SafeHttpClient(new AddressPolicy(localMode), RESOLVER, SETTINGS);
    }

    private URI local(String host, String path) {
        return URI.create("http://" + host + ":" + network.httpPort() + path);
    }

    @Test
    void fetchesFromAnAllowedAddressInLocalMode() throws Exception {
        HttpResult result = client(true).get(local("ok.test", "/small"), 1024, "text/plain");
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.bodyText()).isEqualTo("did:plc:abc");
    }

    @Test
    void refusesLoopbackWhenLocalModeIsOff() {
        // https on 443 to a name that resolves to 127.0.0.1: refused at connect time, before any socket opens
        assertThatThrownBy(() -> client(false).get(URI.create("https://ok.test/small"), 1024, "*/*"))
                .isInstanceOf(FetchException.class)
                .extracting(e -> ((FetchException) e).failure()).isEqualTo(FetchFailure.LOOPBACK_ADDRESS);
    }

    @Test
    void refusesPrivateMetadataAndUlaTargetsEvenInLocalMode() {
        assertFailure(() -> client(true).get(local("evil.test", "/x"), 1024, "*/*"), FetchFailure.PRIVATE_ADDRESS);
        assertFailure(() -> client(true).get(local("meta.test", "/x"), 1024, "*/*"), FetchFailure.METADATA_ADDRESS);
        assertFailure(() -> client(true).get(local("v6.test", "/x"), 1024, "*/*"), FetchFailure.PRIVATE_ADDRESS);
        assertFailure(() -> client(false).get(URI.create("https://evil.test/x"), 1024, "*/*"), FetchFailure.PRIVATE_ADDRESS);
    }

    @Test
    void strictModeAllowsOnlyHttpsOn443AndNoIpLiterals() {
        assertFailure(() -> client(false).get(URI.create("http://ok.test/small"), 1024, "*/*"), FetchFailure.FORBIDDEN_SCHEME);
        assertFailure(() -> client(false).get(URI.create("https://ok.test:8443/small"), 1024, "*/*"), FetchFailure.FORBIDDEN_PORT);
        assertFailure(() -> client(false).get(URI.create("https://93.184.216.34/x"), 1024, "*/*"), FetchFailure.IP_LITERAL);
        assertFailure(() -> client(false).get(URI.create("https://[::1]/x"), 1024, "*/*"), FetchFailure.IP_LITERAL);
    }

    @Test
    void neverFollowsRedirects() {
        assertFailure(() -> client(true).get(local("ok.test", "/moved"), 1024, "*/*"), FetchFailure.REDIRECT);
    }

    @Test
    void capsTheBody() {
        assertFailure(() -> client(true).get(local("ok.test", "/big"), 2048, "*/*"), FetchFailure.TOO_LARGE);
    }

    @Test
    void boundsTheTimeOfSlowResponses() {
        long start = System.nanoTime();
        assertFailure(() -> client(true).get(local("ok.test", "/slow"), 2048, "*/*"), FetchFailure.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    private static void assertFailure(ThrowingFetch fetch, FetchFailure expected) {
        assertThatThrownBy(fetch::run).isInstanceOf(FetchException.class)
                .extracting(e -> ((FetchException) e).failure()).isEqualTo(expected);
    }

    @FunctionalInterface
    interface ThrowingFetch {
        void run() throws Exception;
    }
}
