package social.coves.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import social.coves.localstack.ChildJvm;
import social.coves.localstack.jetstream.EventLog;
import social.coves.localstack.jetstream.JetstreamServer;
import social.coves.localstack.jetstream.SampleNetwork;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.SharedKafka;
import social.coves.localstack.testing.SharedPostgres;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The walking skeleton, end to end with real processes: Jetstream stand-in → firehose-ingestor (its packaged jar,
 * both roles) → real Kafka → real PostgreSQL → this API over HTTP.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
class CommunityEndToEndTests {

    private Process ingestor;
    private JetstreamServer jetstream;

    @AfterEach
    void stop() throws Exception {
        if (ingestor != null) {
            ingestor.destroy();
            ingestor.waitFor(30, TimeUnit.SECONDS);
        }
        if (jetstream != null) {
            jetstream.close();
        }
    }

    @Test
    void aCommunityPublishedOnJetstreamIsServedByTheApi() throws Exception {
        SampleNetwork sample = SampleNetwork.generate(2026, Instant.now());
        EventLog log = new EventLog();
        sample.events().forEach(e -> log.append(e.deepCopy()));
        jetstream = JetstreamServer.start(0, log);
        int ingestorPort = ChildJvm.freePort();
        ingestor = startIngestor(jetstream.subscribeUrl(), ingestorPort);

        SampleNetwork.Community community = sample.communities().get(1);
        await().atMost(120, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).untilAsserted(() -> {
            if (!ingestor.isAlive()) {
                throw new AssertionError("ingestor exited with " + ingestor.exitValue() + "; see target/e2e-ingestor.log");
            }
            given().queryParam("community", community.did())
                    .when().get("/xrpc/social.coves.community.get")
                    .then().statusCode(200)
                    .body("did", equalTo(community.did()))
                    .body("handle", equalTo(community.handle()))
                    .body("name", equalTo(community.name()))
                    .body("displayHandle", equalTo("!" + community.name() + "@" + SampleNetwork.INSTANCE_DOMAIN))
                    .body("hostedBy", equalTo(SampleNetwork.INSTANCE_DID));
        });
        HttpResponse<String> ready = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + ingestorPort + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(ready.statusCode()).isEqualTo(200);
    }

    private static Process startIngestor(String jetstreamUrl, int port) throws Exception {
        Path jar = Path.of(System.getProperty("coves.ingestor.jar", "../firehose-ingestor/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build firehose-ingestor first (./mvnw verify builds it before this module): " + jar.toAbsolutePath());
        }
        SharedPostgres.Connection pg = SharedPostgres.connection();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(new File("target/e2e-ingestor.log"));
        var env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("KAFKA_BOOTSTRAP_SERVERS", SharedKafka.bootstrapServers());
        env.put("COVES_JETSTREAM_URL", jetstreamUrl);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        return builder.start();
    }
}
