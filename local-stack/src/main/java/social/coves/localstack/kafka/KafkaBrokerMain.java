package social.coves.localstack.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import social.coves.localstack.LaunchArgs;
import social.coves.localstack.ReadyLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller). Run it in its own JVM so the
 * broker's jars never meet a service's classpath.
 *
 * <pre>--port=9092 --controller-port=9093 --data-dir=.local/kafka [--fresh] [--delete-on-exit] [--partitions=3]</pre>
 */
public final class KafkaBrokerMain {

    public static void main(String[] argv) throws Exception {
        LaunchArgs args = LaunchArgs.parse(argv);
        int port = args.intValue("port", 9092);
        int controllerPort = args.intValue("controller-port", port + 1);
        Path dataDir = args.path("data-dir");
        if (args.flag("fresh")) {
            deleteRecursively(dataDir);
        }
        Path logDir = dataDir.resolve("logs");
        Files.createDirectories(logDir);

        Properties props = brokerProperties(port, controllerPort, logDir, args.intValue("partitions", 3));
        Path propsFile = dataDir.resolve("server.properties");
        try (var out = Files.newOutputStream(propsFile)) {
            props.store(out, "written by KafkaBrokerMain");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString()},
                    new PrintStream(OutputStream.nullOutputStream()));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed with " + rc);
            }
        }

        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        boolean deleteOnExit = args.flag("delete-on-exit");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
            if (deleteOnExit) {
                deleteRecursively(dataDir);
            }
        }, "kafka-shutdown"));
        args.exitWithParentIfAsked();
        server.startup();
        ReadyLine.announce("localhost:" + port);
        server.awaitShutdown();
    }

    static Properties brokerProperties(int port, int controllerPort, Path logDir, int partitions) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", Integer.toString(partitions));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // repo-event topics keep their history by default (analysts replay them)
        p.put("log.retention.ms", "-1");
        return p;
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
