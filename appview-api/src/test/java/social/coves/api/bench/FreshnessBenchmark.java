package social.coves.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.PackagedIngestor;
import social.coves.localstack.jetstream.EventLog;
import social.coves.localstack.jetstream.JetstreamServer;
import social.coves.localstack.jetstream.PacedFeed;
import social.coves.localstack.jetstream.SampleIds;
import social.coves.localstack.synthetic.NetworkShape;
import social.coves.localstack.synthetic.SyntheticNetwork;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.SharedPostgres;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vote-to-visible latency end to end (off by default): the Jetstream stand-in appends a generated network at
 * {@code coves.bench.rate} frames/s (2,000) to the real ingestor (its packaged jar, both roles, production settings)
 * → real Kafka → real indexer → real PostgreSQL → this API. Each probe is an up-vote frame on a probe post; its
 * latency runs from the moment the stand-in hands the frame to the ingestor's socket until {@code post.get} first
 * shows the new up-vote count. Probes are sequential, 50–250 ms apart. Writes {@code target/bench/e2e-freshness.json}.
 * Run: {@code ./bench.sh e2e-freshness} or {@code ./mvnw -pl appview-api verify -Dtest=FreshnessBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dcoves.bench.freshness=true [-Dcoves.bench.probes=100]}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "coves.bench.freshness", matches = "true")
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
class FreshnessBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void voteToVisible() throws Exception {
        int probes = Integer.getInteger("coves.bench.probes", 100);
        int warmUpProbes = Integer.getInteger("coves.bench.warmup-probes", 5);
        double rate = Double.parseDouble(System.getProperty("coves.bench.rate", "2000"));
        Duration warmUp = Duration.ofSeconds(Integer.getInteger("coves.bench.warmup-seconds", 10));
        long pollMillis = Long.getLong("coves.bench.poll-ms", 10);
        Duration probeTimeout = Duration.ofSeconds(Integer.getInteger("coves.bench.probe-timeout-seconds", 30));

        EventLog log = new EventLog();
        Map<String, Long> sentNanos = new ConcurrentHashMap<>();
        Process ingestor = null;
        try (JetstreamServer jetstream = JetstreamServer.start(0, log)) {
            jetstream.onSent(e -> {
                if (sentNanos.containsKey(e.did())) {
                    sentNanos.replace(e.did(), 0L, System.nanoTime());
                }
            });
            Path ingestorLog = Path.of("target", "bench-ingestor.log");
            Files.deleteIfExists(ingestorLog);
            // both roles with their production settings (did:web hosting checks included)
            PackagedIngestor packaged = PackagedIngestor.start(SharedPostgres.connection(), Map.of("COVES_INGESTOR_JETSTREAM_ENABLED", "true",
                    "COVES_JETSTREAM_URL", jetstream.subscribeUrl(), "COVES_INDEXER_HOSTING_ENABLED", "true"), Map.of(), "-Xmx512m", ingestorLog);
            ingestor = packaged.process();
            int ingestorPort = packaged.port();

            ProbeFrames frames = new ProbeFrames();
            // the probe post first, on an idle pipeline: once it is visible every stage is up and nothing is queued
            log.append(frames.authorIdentity());
            log.append(frames.communityIdentity());
            log.append(frames.communityProfile());
            log.append(frames.post());
            long setupStart = System.nanoTime();
            if (awaitUpvotes(frames.postUri(), 0, Duration.ofSeconds(180), pollMillis, ingestor) < 0) {
                throw new AssertionError("the probe post was not visible within 180 s; see target/bench-ingestor.log");
            }
            System.out.printf("freshness: pipeline up, probe post visible after %.1f s%n", (System.nanoTime() - setupStart) / 1e9);
            // ten minutes of generated activity at most; the run stops it long before
            SyntheticNetwork network = new SyntheticNetwork(NetworkShape.forEvents((long) (rate * 600)), 9, Instant.now());
            try (PacedFeed feed = PacedFeed.start(log, network, rate);
                 PipelineProgress progress = new PipelineProgress(log, ingestorPort)) {
                long feedStart = System.nanoTime();
                Thread sampler = Thread.ofVirtual().start(() -> printProgress(progress, feedStart));
                Thread.sleep(warmUp.toMillis());

                Random random = new Random(5);
                List<Long> latencies = new ArrayList<>();
                int timeouts = 0;
                long appendedAtStart = feed.appended();
                long measureStart = System.nanoTime();
                PipelineProgress.Sample first = progress.sample();
                PipelineProgress.Sample worst = first;
                for (int i = 0; i < warmUpProbes + probes; i++) {
                    String voter = SampleIds.plcDid(77, i);
                    sentNanos.put(voter, 0L);
                    log.append(frames.upVote(voter));
                    long visible = awaitUpvotes(frames.postUri(), i + 1, probeTimeout, pollMillis, ingestor);
                    if (visible < 0) {
                        // later probes would count this one's vote: stop and report what was measured
                        timeouts++;
                        System.out.printf("freshness: probe %d not visible within %d s; stopping (%s)%n", i, probeTimeout.toSeconds(),
                                progress.sample());
                        break;
                    }
                    long sent = sentNanos.get(voter);
                    assertThat(sent).as("the stand-in sent probe %d", i).isNotZero();
                    if (i >= warmUpProbes) {
                        latencies.add(visible - sent);
                    }
                    if (i % 10 == 0) {
                        PipelineProgress.Sample now = progress.sample();
                        worst = now.indexerBehind() + now.ingestorBehind() > worst.indexerBehind() + worst.ingestorBehind() ? now : worst;
                    }
                    Thread.sleep(50 + random.nextInt(200));
                }
                double seconds = (System.nanoTime() - measureStart) / 1e9;
                double backgroundRate = (feed.appended() - appendedAtStart) / seconds;
                sampler.interrupt();
                PipelineProgress.Sample last = progress.sample();
                double indexerRate = (last.indexed() - first.indexed()) / ((System.nanoTime() - measureStart) / 1e9);
                report(latencies, timeouts, rate, backgroundRate, indexerRate, worst, last, seconds, pollMillis);
                assertThat(latencies).as("probes measured").isNotEmpty();
            }
        } finally {
            if (ingestor != null) {
                ingestor.destroy();
                ingestor.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Polls post.get until the probe post shows {@code upvotes}; the nanoTime of the first answer that does. */
    private long awaitUpvotes(String postUri, long upvotes, Duration timeout, long pollMillis, Process ingestor) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/xrpc/social.coves.community.post.get?uris="
                + URLEncoder.encode(postUri, StandardCharsets.UTF_8))).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long now = System.nanoTime();
            if (response.statusCode() == 200) {
                JsonNode post = MAPPER.readTree(response.body()).path("posts").path(0);
                if (!post.path("notFound").asBoolean(false) && post.at("/stats/upvotes").asLong(-1) >= upvotes) {
                    return now;
                }
            }
            if (!ingestor.isAlive()) {
                throw new IllegalStateException("the ingestor exited with " + ingestor.exitValue() + "; see target/bench-ingestor.log");
            }
            Thread.sleep(pollMillis);
        }
        return -1;
    }

    private static void printProgress(PipelineProgress progress, long feedStart) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(5_000);
                PipelineProgress.Sample s = progress.sample();
                System.out.printf(Locale.ROOT, "freshness: t=%3.0fs stand-in=%d ingestor read=%d (behind %d) kafka=%d indexed=%d (behind %d)%n",
                        (System.nanoTime() - feedStart) / 1e9, s.served(), s.ingested(), s.ingestorBehind(), s.inKafka(), s.indexed(),
                        s.indexerBehind());
            }
        } catch (InterruptedException stop) {
            // the run is over
        }
    }

    private void report(List<Long> nanos, int timeouts, double targetRate, double backgroundRate, double indexerRate,
                        PipelineProgress.Sample worst,
                        PipelineProgress.Sample end, double seconds, long pollMillis) throws Exception {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = Percentiles.millis(sorted, 0.50);
        double p99 = Percentiles.millis(sorted, 0.99);
        double max = sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6;
        double min = sorted.length == 0 ? 0 : sorted[0] / 1e6;
        String table = String.format(Locale.ROOT, """
                | probes | timeouts | served ev/s | indexed ev/s | p50 ms | p99 ms | max ms | min ms | worst backlog: ingestor / indexer |
                |--------|----------|-------------|--------------|--------|--------|--------|--------|-----------------------------------|
                | %6d | %8d | %11.0f | %12.0f | %6.0f | %6.0f | %6.0f | %6.0f | %15d / %-15d |""", sorted.length, timeouts, backgroundRate,
                indexerRate, p50, p99, max, min, worst.ingestorBehind(), worst.indexerBehind());
        System.out.printf(Locale.ROOT, "%nfreshness: vote frame sent by the stand-in → new up-vote count visible through post.get "
                        + "(polled every %d ms), %d probes over %.0f s while it serves %.0f events/s; goal p99 < 2000 ms: %s%n%s%n",
                pollMillis, sorted.length, seconds, targetRate, timeouts == 0 && p99 < 2000 ? "met" : "NOT met", table);
        Path out = Path.of("target", "bench", "e2e-freshness.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.format(Locale.ROOT, "{\"probes\":%d,\"timeouts\":%d,\"targetEventsPerSecond\":%.0f,"
                        + "\"backgroundEventsPerSecond\":%.1f,\"indexedEventsPerSecond\":%.1f,\"pollMillis\":%d,\"p50Ms\":%.1f,\"p99Ms\":%.1f,\"maxMs\":%.1f,\"minMs\":%.1f,"
                        + "\"worstIngestorBacklog\":%d,\"worstIndexerBacklog\":%d,\"endIngestorBacklog\":%d,\"endIndexerBacklog\":%d,"
                        + "\"latenciesMs\":%s}%n", sorted.length, timeouts, targetRate, backgroundRate, indexerRate, pollMillis, p50, p99, max, min,
                worst.ingestorBehind(), worst.indexerBehind(), end.ingestorBehind(), end.indexerBehind(),
                nanos.stream().map(n -> String.format(Locale.ROOT, "%.1f", n / 1e6)).toList()));
        Files.writeString(Path.of("target", "bench", "e2e-freshness.md"), table + "\n");
    }
}
