package social.coves.localstack.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parses every deployment artefact (k8s base and overlays, docker-compose.yml, the Prometheus rules, the Grafana
 * dashboards, the Dockerfiles) and checks the rules the operations docs promise. No Docker or cluster needed.
 * Metric names in queries are checked against deploy/metrics-catalog.txt, which ops-checks keeps honest by scraping.
 */
class DeploymentManifestTests {

    static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<JsonNode> K8S = new ArrayList<>();
    static JsonNode compose;
    static Map<String, String> config = new HashMap<>();
    static int partitions;

    static final Pattern SECRETISH = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY).*");

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s/base"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(f))) {
                    JsonNode n = JSON.valueToTree(doc);
                    if (n != null && n.has("kind")) {
                        K8S.add(n);
                    }
                }
            }
        }
        compose = yaml(ROOT.resolve("docker-compose.yml"));
        JsonNode cm = one("ConfigMap", "coves-config");
        cm.get("data").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        partitions = Integer.parseInt(config.get("COVES_TOPICS_REPO_EVENTS_PARTITIONS"));
    }

    /** SnakeYAML resolves anchors, aliases and merge keys (compose's x-app-env) the way Docker Compose does. */
    static JsonNode yaml(Path file) throws IOException {
        return JSON.valueToTree(new Yaml().load(Files.readString(file)));
    }

    static List<JsonNode> all(String kind) {
        return K8S.stream().filter(n -> n.path("kind").asText().equals(kind)).toList();
    }

    static JsonNode one(String kind, String name) {
        return all(kind).stream().filter(n -> n.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("missing " + kind + "/" + name));
    }

    static JsonNode container(String deployment) {
        return one("Deployment", deployment).at("/spec/template/spec/containers/0");
    }

    /** Env of a Deployment's container: literal values, ConfigMap keys, and secret refs as "secret:name/key". */
    static Map<String, String> env(String deployment) {
        return env(container(deployment));
    }

    /** The same for any container (a Job's). */
    static Map<String, String> env(JsonNode c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : c.path("envFrom")) {
            if (from.at("/configMapRef/name").asText().equals("coves-config")) {
                env.putAll(config);
            }
        }
        for (JsonNode e : c.path("env")) {
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            env.put(e.get("name").asText(), ref.isMissingNode() ? e.path("value").asText(null)
                    : "secret:" + ref.get("name").asText() + "/" + ref.get("key").asText());
        }
        return env;
    }

    static final Map<String, List<String>> REQUIRED_ENV = Map.of(
            "appview-api", List.of("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                    "COVES_API_CURSOR_SECRET", "COVES_API_SEALING_KEY", "COVES_APPVIEW_DID", "QUARKUS_REST_CLIENT_IDENTITY_URL",
                    "QUARKUS_HTTP_PORT", "COVES_INSTANCE_PDS_URL", "COVES_INSTANCE_DOMAIN"),
            "identity-service", List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                    "KAFKA_BOOTSTRAP_SERVERS", "COVES_IDENTITY_PLC_URL", "QUARKUS_HTTP_PORT"),
            "jetstream-ingestor", List.of("KAFKA_BOOTSTRAP_SERVERS", "COVES_JETSTREAM_URL", "COVES_INGESTOR_JETSTREAM_ENABLED",
                    "COVES_INGESTOR_INDEXER_ENABLED", "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL",
                    "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_HTTP_PORT"),
            "indexer", List.of("KAFKA_BOOTSTRAP_SERVERS", "COVES_INGESTOR_JETSTREAM_ENABLED", "COVES_INGESTOR_INDEXER_ENABLED",
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_HTTP_PORT", "COVES_INDEXER_IDENTITY_URL"));

    @Test
    void everyDeploymentHasProbesResourcesAndRunsAsNonRoot() {
        assertThat(all("Deployment")).extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("appview-api", "identity-service", "jetstream-ingestor", "indexer");
        for (JsonNode d : all("Deployment")) {
            String name = d.at("/metadata/name").asText();
            JsonNode c = d.at("/spec/template/spec/containers/0");
            assertThat(c.at("/startupProbe/httpGet/path").asText()).as(name).isEqualTo("/q/health/started");
            assertThat(c.at("/livenessProbe/httpGet/path").asText()).as(name).isEqualTo("/q/health/live");
            assertThat(c.at("/readinessProbe/httpGet/path").asText()).as(name).isEqualTo("/q/health/ready");
            assertThat(c.at("/resources/requests/cpu").isTextual()).as(name + " cpu request").isTrue();
            assertThat(c.at("/resources/requests/memory").isTextual()).as(name + " memory request").isTrue();
            assertThat(c.at("/resources/limits/memory").isTextual()).as(name + " memory limit").isTrue();
            assertThat(d.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).as(name).isTrue();
            int port = c.at("/ports/0/containerPort").asInt();
            assertThat(env(name).get("QUARKUS_HTTP_PORT")).as(name + " port").isEqualTo(Integer.toString(port));
            assertThat(one("Service", name).at("/metadata/labels/app.kubernetes.io~1name").asText()).isEqualTo(name);
        }
    }

    @Test
    void everyAppGetsTheConfigItRequires() {
        REQUIRED_ENV.forEach((app, keys) -> {
            Map<String, String> env = env(app);
            assertThat(env).as(app).containsKeys(keys.toArray(String[]::new));
            Map<String, String> composeEnv = composeEnv(app);
            assertThat(composeEnv).as("compose " + app).containsKeys(keys.toArray(String[]::new));
        });
        assertThat(env("indexer")).containsEntry("COVES_INGESTOR_INDEXER_ENABLED", "true").containsEntry("COVES_INGESTOR_JETSTREAM_ENABLED", "false");
        assertThat(env("jetstream-ingestor")).containsEntry("COVES_INGESTOR_INDEXER_ENABLED", "false").containsEntry("COVES_INGESTOR_JETSTREAM_ENABLED", "true");
    }

    @Test
    void jetstreamIsASingleRecreatedPodWithGracefulShutdown() {
        JsonNode d = one("Deployment", "jetstream-ingestor");
        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(d.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        int shutdown = Integer.parseInt(config.get("QUARKUS_SHUTDOWN_TIMEOUT").replace("s", ""));
        assertThat(d.at("/spec/template/spec/terminationGracePeriodSeconds").asInt()).isGreaterThan(shutdown);
        assertThat(all("HorizontalPodAutoscaler")).noneMatch(h -> h.at("/spec/scaleTargetRef/name").asText().equals("jetstream-ingestor"));
        assertThat(all("ScaledObject")).noneMatch(h -> h.at("/spec/scaleTargetRef/name").asText().equals("jetstream-ingestor"));
        assertThat(compose.at("/services/jetstream-ingestor/deploy/replicas").asInt(1)).isEqualTo(1);
    }

    @Test
    void indexerNeverRunsMoreReplicasThanPartitions() throws IOException {
        assertThat(one("Deployment", "indexer").at("/spec/replicas").asInt()).isLessThanOrEqualTo(partitions);
        JsonNode scaled = one("ScaledObject", "indexer");
        assertThat(scaled.at("/spec/maxReplicaCount").asInt()).isBetween(1, partitions);
        JsonNode trigger = scaled.at("/spec/triggers/0");
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        assertThat(trigger.at("/metadata/topic").asText()).isEqualTo("coves.repo-events.v1");
        assertThat(trigger.at("/metadata/consumerGroup").asText()).isEqualTo("coves-indexer");
        for (String overlay : List.of("dev", "prod")) {
            JsonNode k = yaml(ROOT.resolve("k8s/overlays/" + overlay + "/kustomization.yaml"));
            assertThat(k.path("resources").toString()).contains("../../base");
            for (JsonNode r : k.path("replicas")) {
                if (r.get("name").asText().equals("indexer")) {
                    assertThat(r.get("count").asInt()).as(overlay).isLessThanOrEqualTo(partitions);
                }
                assertThat(r.get("name").asText()).as(overlay).isNotEqualTo("jetstream-ingestor");
            }
            assertThat(k.toString()).doesNotContain("COVES_TOPICS_REPO_EVENTS_PARTITIONS");
            for (JsonNode p : k.path("patches")) {
                if (p.at("/target/kind").asText().equals("ScaledObject")) {
                    Matcher m = Pattern.compile("maxReplicaCount, value: (\\d+)").matcher(p.path("patch").asText());
                    while (m.find()) {
                        assertThat(Integer.parseInt(m.group(1))).as(overlay).isLessThanOrEqualTo(partitions);
                    }
                }
            }
        }
        // compose creates the topic with the same partition count
        String topics = compose.at("/services/kafka-topics/command/0").asText();
        assertThat(topics).containsPattern("coves\\.repo-events\\.v1\\s+--partitions " + partitions + " ")
                .contains("coves.identity-events.v1").contains("coves.ingest-rejects.v1").contains("retention.ms=-1");
        assertThat(compose.at("/services/indexer/ports").isMissingNode()).as("scalable indexer publishes no host port").isTrue();
        assertThat(compose.at("/services/indexer/container_name").isMissingNode()).isTrue();
    }

    @Test
    void apiAndIdentityHaveHpasAndDisruptionBudgets() {
        for (String app : List.of("appview-api", "identity-service")) {
            JsonNode hpa = one("HorizontalPodAutoscaler", app);
            assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(app);
            assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
            assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
            JsonNode pdb = one("PodDisruptionBudget", app);
            assertThat(pdb.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo(app);
            assertThat(pdb.at("/spec/minAvailable").asInt()).isLessThan(hpa.at("/spec/minReplicas").asInt());
        }
    }

    @Test
    void secretsAreOnlyReferencedNeverCommitted() throws IOException {
        assertThat(all("Secret")).isEmpty();
        config.keySet().forEach(k -> assertThat(k).doesNotMatch(SECRETISH));
        for (String app : REQUIRED_ENV.keySet()) {
            env(app).forEach((k, v) -> {
                if (SECRETISH.matcher(k).matches()) {
                    assertThat(v).as(app + " " + k).startsWith("secret:");
                }
            });
        }
        for (JsonNode c : one("Job", "flyway-migrate").at("/spec/template/spec/containers")) {
            for (JsonNode e : c.path("env")) {
                if (e.get("name").asText().contains("PASSWORD")) {
                    assertThat(e.at("/valueFrom/secretKeyRef").isMissingNode()).isFalse();
                }
            }
        }
        // compose: secrets come from the environment, required (${VAR:?...}), never with a default value
        compose.path("services").fields().forEachRemaining(s -> composeEnv(s.getKey()).forEach((k, v) -> {
            if (SECRETISH.matcher(k).matches() && v != null && !k.equals("QUARKUS_OTEL_SDK_DISABLED")) {
                assertThat(v).as(s.getKey() + " " + k).matches("\\$\\{[A-Z_]+:\\?[^}]*}");
            }
        }));
        assertThat(Files.readString(ROOT.resolve("docker-compose.yml"))).doesNotContainPattern("(?i)password: [a-z0-9-]{6,}\\s");
    }

    @Test
    void apiMayOnlyTalkToPostgresIdentityAndThePdsOverHttps() {
        JsonNode np = one("NetworkPolicy", "appview-api");
        assertThat(np.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("appview-api");
        List<String> types = new ArrayList<>();
        np.at("/spec/policyTypes").forEach(t -> types.add(t.asText()));
        assertThat(types).contains("Egress", "Ingress");
        Set<String> egressTargets = new TreeSet<>();
        for (JsonNode rule : np.at("/spec/egress")) {
            for (JsonNode to : rule.path("to")) {
                if (to.has("ipBlock")) {
                    // the instance PDS (community accounts): HTTPS only, never the cluster's private ranges
                    assertThat(rule.at("/ports").size()).isEqualTo(1);
                    assertThat(rule.at("/ports/0/port").asInt()).isEqualTo(443);
                    assertThat(to.at("/ipBlock/except").toString()).contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");
                    egressTargets.add("pds:443");
                    continue;
                }
                String app = to.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText("");
                String dns = to.at("/podSelector/matchLabels/k8s-app").asText("");
                egressTargets.add(!app.isEmpty() ? app : dns);
            }
            assertThat(rule.path("to").size()).as("egress rule without destination = anywhere").isPositive();
        }
        assertThat(egressTargets).containsExactlyInAnyOrder("postgres", "identity-service", "kube-dns", "otel-collector", "pds:443");
        // traces only: the collector rule opens OTLP gRPC and nothing else, and matches the configured endpoint
        for (JsonNode rule : np.at("/spec/egress")) {
            if (rule.at("/to/0/podSelector/matchLabels/app.kubernetes.io~1name").asText("").equals("otel-collector")) {
                assertThat(rule.at("/ports").size()).isEqualTo(1);
                assertThat(rule.at("/ports/0/port").asInt()).isEqualTo(4317);
                assertThat(config.get("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT")).isEqualTo("http://otel-collector."
                        + rule.at("/to/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText() + ":4317");
            }
        }
    }

    @Test
    void tracesGoToTheCollectorOnItsOtlpGrpcPortFromEveryApp() throws IOException {
        JsonNode collector = yaml(ROOT.resolve("deploy/otel/collector.yaml"));
        String grpc = collector.at("/receivers/otlp/protocols/grpc/endpoint").asText();
        assertThat(grpc).endsWith(":4317");
        assertThat(compose.at("/x-app-env/QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText()).isEqualTo("http://otel-collector:4317");
        assertThat(compose.at("/x-app-env/QUARKUS_OTEL_SDK_DISABLED").asText()).isEqualTo("false");
        assertThat(config.get("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT")).endsWith(":4317");
        assertThat(config.get("QUARKUS_OTEL_SDK_DISABLED")).isEqualTo("false");
        assertThat(Double.parseDouble(config.get("QUARKUS_OTEL_TRACES_SAMPLER_ARG"))).isBetween(0.0, 1.0);
        for (String app : List.of("appview-api", "identity-service", "firehose-ingestor")) {
            assertThat(Files.readString(ROOT.resolve(app + "/pom.xml"))).as(app).contains("<artifactId>quarkus-opentelemetry</artifactId>")
                    .contains("<artifactId>quarkus-logging-json</artifactId>");
            String props = Files.readString(ROOT.resolve(app + "/src/main/resources/application.properties"));
            assertThat(props).as(app).contains("quarkus.otel.traces.sampler=parentbased_traceidratio")
                    .contains("%prod.quarkus.log.console.json.enabled=true").contains("quarkus.log.console.filter=redact")
                    .contains("%dev.quarkus.otel.sdk.disabled=true");
        }
    }

    @Test
    void migrationsRunAsAJobBeforeTheAppsAndTheApiMigratesOnlyItsOwnSchema() throws IOException {
        JsonNode job = one("Job", "flyway-migrate");
        JsonNode flyway = job.at("/spec/template/spec/containers/0");
        assertThat(flyway.path("image").asText()).startsWith("flyway/flyway:");
        assertThat(flyway.path("args").toString()).contains("migrate").contains("db/migration").contains("appview");
        String apiProps = Files.readString(ROOT.resolve("appview-api/src/main/resources/application.properties"));
        // the API owns coves_api (community credentials), never the indexer's appview schema
        assertThat(apiProps).contains("quarkus.flyway.schemas=coves_api").contains("quarkus.flyway.locations=db/api")
                .doesNotContain("quarkus.flyway.schemas=appview");
        assertThat(env("appview-api")).doesNotContainKey("QUARKUS_FLYWAY_SCHEMAS");
    }

    /**
     * A one-shot role's Job: never restarted in place, retried (a failed attempt resumes), run as non-root with the
     * indexer's image; returns its container.
     */
    private static JsonNode oneShotJobContainer(String file) throws IOException {
        JsonNode job = yaml(ROOT.resolve(file));
        assertThat(job.path("kind").asText()).isEqualTo("Job");
        JsonNode pod = job.at("/spec/template/spec");
        assertThat(pod.path("restartPolicy").asText()).isEqualTo("Never");
        assertThat(job.at("/spec/backoffLimit").asInt()).as("a failed attempt resumes, so retries are safe").isPositive();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        JsonNode c = pod.at("/containers/0");
        assertThat(c.path("image").asText()).isEqualTo(container("indexer").path("image").asText());
        return c;
    }

    @Test
    void theRebuildJobRunsTheRebuildRoleAloneAndIsNotAppliedWithTheBase() throws IOException {
        JsonNode c = oneShotJobContainer("k8s/jobs/projection-rebuild.yaml");
        assertThat(c.at("/envFrom/0/configMapRef/name").asText()).isEqualTo("coves-config");
        assertThat(env(c)).containsEntry("COVES_INGESTOR_REBUILD_ENABLED", "true")
                .containsEntry("COVES_INGESTOR_INDEXER_ENABLED", "false").containsEntry("COVES_INGESTOR_JETSTREAM_ENABLED", "false")
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", env("indexer").get("QUARKUS_DATASOURCE_USERNAME"))
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", env("indexer").get("QUARKUS_DATASOURCE_PASSWORD"));
        assertThat(Files.readString(ROOT.resolve("k8s/base/kustomization.yaml"))).doesNotContain("projection-rebuild");
        assertThat(all("Job")).extracting(j -> j.at("/metadata/name").asText()).doesNotContain("projection-rebuild");
    }

    @Test
    void theExportJobRunsTheExportRoleAloneToTheEndAndIsNotAppliedWithTheBase() throws IOException {
        JsonNode c = oneShotJobContainer("k8s/jobs/kafka-export.yaml");
        assertThat(env(c)).containsEntry("COVES_INGESTOR_EXPORT_ENABLED", "true")
                .containsEntry("COVES_INGESTOR_INDEXER_ENABLED", "false").containsEntry("COVES_INGESTOR_JETSTREAM_ENABLED", "false")
                .containsEntry("COVES_EXPORT_UNTIL", "end").containsEntry("COVES_EXPORT_WAREHOUSE", "/warehouse");
        assertThat(c.path("volumeMounts").findValuesAsText("mountPath")).contains("/warehouse");
        assertThat(Files.readString(ROOT.resolve("k8s/base/kustomization.yaml"))).doesNotContain("kafka-export");
    }

    @Test
    void composeHasTheWholeStack() {
        JsonNode s = compose.path("services");
        assertThat(s.at("/kafka/image").asText()).startsWith("apache/kafka:");
        assertThat(s.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(s.at("/postgres/image").asText()).isEqualTo("postgres:17");
        for (String name : List.of("identity-service", "indexer", "jetstream-ingestor", "appview-api", "prometheus", "grafana",
                "otel-collector", "jaeger", "kafka-topics")) {
            assertThat(s.has(name)).as(name).isTrue();
        }
        for (String app : REQUIRED_ENV.keySet()) {
            assertThat(s.at("/" + app + "/healthcheck/test").toString()).as(app).contains("/q/health/ready");
        }
        assertThat(s.at("/prometheus/volumes").toString()).contains("alerts.yml");
        assertThat(s.at("/grafana/volumes").toString()).contains("provisioning").contains("k8s/base/dashboards");
        assertThat(compose.at("/x-app-env/QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText()).contains("otel-collector");
        assertThat(s.at("/appview-api/environment/QUARKUS_REST_CLIENT_IDENTITY_URL").asText()).contains("identity-service:8081");
    }

    @Test
    void alertsAreIdenticalInComposeAndK8sAndEachHasARunbook() throws IOException {
        JsonNode composeRules = yaml(ROOT.resolve("deploy/prometheus/alerts.yml"));
        JsonNode k8sRules = one("PrometheusRule", "coves-appview");
        assertThat(k8sRules.at("/spec/groups")).isEqualTo(composeRules.path("groups"));
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : composeRules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alerts.add(rule.path("alert").asText());
                String runbook = rule.at("/annotations/runbook_url").asText();
                assertThat(runbook).as(rule.path("alert").asText()).startsWith("docs/runbooks/");
                assertThat(ROOT.resolve(runbook.replaceAll("#.*", ""))).as(runbook).isRegularFile();
                assertThat(rule.at("/labels/severity").asText()).isIn("page", "ticket");
            }
        }
        assertThat(alerts).contains("CovesApi5xxRateHigh", "CovesApiLatencyP99High", "CovesIngestLagHigh",
                "CovesJetstreamDisconnected", "CovesJetstreamCursorReset", "CovesIndexerConsumerLagGrowing",
                "CovesIndexerCountDrift", "CovesDbPoolExhausted", "CovesIdentityFetchFailures");
        String prom = Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml"));
        for (String job : List.of("appview-api", "identity-service", "jetstream-ingestor", "indexer")) {
            assertThat(prom).contains("job_name: " + job);
        }
    }

    @Test
    void everyAlertAndDashboardQueryNamesACatalogMetric() throws IOException {
        Set<String> catalog = catalog();
        List<String> exprs = new ArrayList<>();
        yaml(ROOT.resolve("deploy/prometheus/alerts.yml")).findValues("expr").forEach(e -> exprs.add(e.asText()));
        List<String> dashboards = List.of("coves-api", "coves-ingest", "coves-identity", "coves-jvm-pools");
        for (String d : dashboards) {
            JsonNode json = JSON.readTree(ROOT.resolve("k8s/base/dashboards/" + d + ".json").toFile());
            assertThat(json.path("uid").asText()).isEqualTo(d);
            json.findValues("expr").forEach(e -> exprs.add(e.asText()));
        }
        assertThat(Files.readString(ROOT.resolve("k8s/base/kustomization.yaml")))
                .contains(dashboards.stream().map(d -> "dashboards/" + d + ".json").toArray(String[]::new));
        assertThat(exprs).hasSizeGreaterThan(30);
        Set<String> unknown = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (String expr : exprs) {
            for (String metric : metricNames(expr)) {
                used.add(metric);
                if (!catalog.contains(metric) && !metric.equals("up")) {
                    unknown.add(metric + "  in  " + expr);
                }
            }
        }
        assertThat(unknown).as("metrics not in deploy/metrics-catalog.txt").isEmpty();
        assertThat(used).contains("http_server_requests_seconds_bucket", "coves_jetstream_lag_seconds", "coves_jetstream_connected",
                "coves_jetstream_cursor_reset_total", "kafka_consumer_fetch_manager_records_lag", "coves_indexer_count_drift",
                "coves_identity_lookups_total", "coves_identity_cache_requests_total", "coves_indexer_batch_seconds_sum");
    }

    @Test
    void metricNameExtractionIgnoresFunctionsLabelsAndGrouping() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket{service=\"a\",uri!~\"/q/.*\"}[$__rate_interval]))) > 1 and on(instance) up == 0"))
                .containsExactlyInAnyOrder("http_server_requests_seconds_bucket", "up");
        assertThat(metricNames("deriv(sum(kafka_consumer_fetch_manager_records_lag{service=\"indexer\"})[15m:1m]) > 0 or absent(coves_x)"))
                .containsExactlyInAnyOrder("kafka_consumer_fetch_manager_records_lag", "coves_x");
    }

    static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "and", "or", "unless", "offset", "inf", "nan");

    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")          // string literals
                .replaceAll("\\{[^}]*}", " ")                                       // label matchers
                .replaceAll("\\[[^]]*]", " ")                                       // ranges, subqueries
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\()?").matcher(s);
        while (m.find()) {
            String token = m.group(1);
            if (m.group(2) == null && !PROMQL_WORDS.contains(token.toLowerCase())) {
                names.add(token);
            }
        }
        return names;
    }

    static Set<String> catalog() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("deploy/metrics-catalog.txt"))) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    @Test
    void imagesRunAsNonRootWithAHealthCheckTheyCanExecute() throws IOException {
        for (String module : List.of("appview-api", "identity-service", "firehose-ingestor")) {
            String df = Files.readString(ROOT.resolve(module + "/src/main/docker/Dockerfile.jvm"));
            assertThat(df).as(module).containsPattern("(?m)^USER 1001$").containsPattern("(?m)^HEALTHCHECK .*curl .*/q/health/ready")
                    .containsPattern("apt-get install .*curl");
        }
    }

    /** A compose service's environment with the x-app-env anchor merged in (Jackson does not resolve merge keys). */
    static Map<String, String> composeEnv(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = compose.at("/services/" + service + "/environment");
        if (e.has("<<")) {
            e.get("<<").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        }
        if (e instanceof ObjectNode o) {
            o.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("<<")) {
                    env.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText());
                }
            });
        }
        return env;
    }
}
