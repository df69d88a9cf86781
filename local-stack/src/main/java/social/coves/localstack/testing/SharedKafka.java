package social.coves.localstack.testing;

import social.coves.localstack.ChildJvm;
import social.coves.localstack.kafka.KafkaBrokerMain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One real Kafka broker per test JVM, shared by every test class; stopped when the JVM exits. */
public final class SharedKafka {

    private static String bootstrapServers;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = Infra.useDocker() ? startContainer() : startChildJvm();
        }
        return bootstrapServers;
    }

    private static String startContainer() {
        var container = new org.testcontainers.kafka.KafkaContainer("apache/kafka:4.1.1");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return container.getBootstrapServers();
    }

    private static String startChildJvm() {
        try {
            int port = ChildJvm.freePort();
            int controllerPort = ChildJvm.freePort();
            Path dir = Files.createTempDirectory("coves-kafka-");
            ChildJvm broker = ChildJvm.start("kafka", KafkaBrokerMain.class,
                    List.of("--port=" + port, "--controller-port=" + controllerPort, "--data-dir=" + dir, "--delete-on-exit"),
                    Path.of("target", "local-stack", "kafka.log"), Duration.ofSeconds(90));
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            return broker.readyValue();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
