package social.coves.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import social.coves.localstack.ChildJvm;
import social.coves.localstack.jetstream.EventLog;
import social.coves.localstack.jetstream.JetstreamServer;
import social.coves.localstack.jetstream.SampleNetwork;
import social.coves.localstack.testing.SharedKafka;
import social.coves.localstack.testing.SharedPostgres;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code deploy/metrics-catalog.txt} honest. The catalog lists every metric name an alert rule or a dashboard
 * may use (local-stack's DeploymentManifestTests checks the queries against it); this test starts the three packaged
 * apps (ingestor in both roles against the Jetstream stand-in, identity-service with an unreachable PLC so a lookup
 * fails, the API), drives a little traffic, scrapes {@code /q/metrics} and requires every catalog name to be exported
 * by the service the catalog names. Meters that only exist after a rare event (a cursor reset, a count fix) are
 * marked {@code lazy:<meter name>}; for those the meter name must appear in the service's main sources instead.
 */
class MetricsCatalogTests {

    private static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<Process> PROCESSES = new ArrayList<>();
    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    private static JetstreamServer jetstream;

    record Entry(String metric, String service, String lazyMeter) {}

    @BeforeAll
    static void startApps() throws Exception {
        SampleNetwork sample = SampleNetwork.generate(42, Instant.now());
        EventLog log = new EventLog();
        sample.events().forEach(e -> log.append(e.deepCopy()));
        jetstream = JetstreamServer.start(0, log);
        SharedPostgres.Connection pg = SharedPostgres.connection();
        Map<String, String> common = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", SharedKafka.bootstrapServers(),
                "QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl(),
                "QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", pg.user(),
                "QUARKUS_DATASOURCE_PASSWORD", pg.password(),
                // the tracing SDK starts as in production, but samples nothing: no collector is dialled in tests
                "QUARKUS_OTEL_TRACES_SAMPLER_ARG", "0");

        // ingestor, both roles: the indexer migrates the schema the API reads
        start("firehose-ingestor", common, Map.of("COVES_JETSTREAM_URL", jetstream.subscribeUrl()));
        start("identity-service", common, Map.of("COVES_IDENTITY_PLC_URL", "http://127.0.0.1:9/",
                "COVES_IDENTITY_LOCAL_MODE", "true"));
        start("appview-api", common, Map.of("QUARKUS_REST_CLIENT_IDENTITY_URL", "http://localhost:" + PORTS.get("identity-service"),
                "COVES_API_CURSOR_SECRET", "ops-checks-only-" + System.nanoTime(),
                "COVES_API_SEALING_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32])));
        for (String name : PORTS.keySet()) {
            awaitReady(name);
        }
    }

    @AfterAll
    static void stopApps() {
        PROCESSES.forEach(Process::destroy);
        if (jetstream != null) {
            jetstream.close();
        }
    }

    @Test
    void everyCatalogMetricIsExportedByItsService() throws Exception {
        // traffic: API requests (200 and 4xx), a failing identity lookup, and ingest until the indexer has batched
        get("appview-api", "/xrpc/social.coves.community.get?community=did:plc:aaaaaaaaaaaaaaaaaaaaaaaa");
        get("appview-api", "/xrpc/social.coves.community.get");
        get("identity-service", "/xrpc/com.atproto.identity.resolveDid?did=did:plc:bbbbbbbbbbbbbbbbbbbbbbbb");
        get("identity-service", "/xrpc/com.atproto.identity.resolveDid?did=did:plc:bbbbbbbbbbbbbbbbbbbbbbbb");

        List<Entry> catalog = catalog();
        Map<String, Set<String>> scraped = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<String> missing;
        do {
            for (String service : PORTS.keySet()) {
                scraped.put(service, names(get(service, "/q/metrics")));
            }
            missing = missing(catalog, scraped);
            if (missing.isEmpty()) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);

        StringBuilder out = new StringBuilder();
        scraped.forEach((service, names) -> names.forEach(n -> out.append(n).append(' ').append(service).append('\n')));
        Files.writeString(Path.of("target/scraped-metrics.txt"), out);
        assertThat(missing).as("catalog metrics not exported (all scraped names: target/scraped-metrics.txt)").isEmpty();
    }

    private static List<String> missing(List<Entry> catalog, Map<String, Set<String>> scraped) throws IOException {
        List<String> missing = new ArrayList<>();
        for (Entry e : catalog) {
            String module = e.service().equals("indexer") || e.service().equals("jetstream-ingestor") ? "firehose-ingestor" : e.service();
            if (e.lazyMeter() != null) {
                if (!sourcesContain(module, '"' + e.lazyMeter() + '"')) {
                    missing.add(e.metric() + " (lazy meter \"" + e.lazyMeter() + "\" not in " + module + " sources)");
                }
            } else if (!scraped.getOrDefault(module, Set.of()).contains(e.metric())) {
                missing.add(e.metric() + " (" + module + ")");
            }
        }
        return missing;
    }

    static List<Entry> catalog() throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("deploy/metrics-catalog.txt"))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+");
            String lazy = parts.length > 2 && parts[2].startsWith("lazy:") ? parts[2].substring(5) : null;
            entries.add(new Entry(parts[0], parts[1], lazy));
        }
        return entries;
    }

    private static boolean sourcesContain(String module, String literal) throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
            return files.filter(p -> p.toString().endsWith(".java")).anyMatch(p -> {
                try {
                    return Files.readString(p).contains(literal);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    private static void start(String module, Map<String, String> common, Map<String, String> extra) throws IOException {
        Path jar = ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build " + module + " first (./mvnw verify builds it before this module): " + jar);
        }
        int port = ChildJvm.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(new File("target/ops-" + module + ".log"));
        builder.environment().putAll(common);
        builder.environment().putAll(extra);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Process process = builder.start();
        PROCESSES.add(process);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        PORTS.put(module, port);
    }

    private static void awaitReady(String module) throws Exception {
        Process process = PROCESSES.get(new ArrayList<>(PORTS.keySet()).indexOf(module));
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + "; see target/ops-" + module + ".log");
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + PORTS.get(module) + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(module + " did not become ready; see target/ops-" + module + ".log");
    }

    private static String get(String module, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + PORTS.get(module) + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
