package social.coves.localstack.jetstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.localstack.LaunchArgs;
import social.coves.localstack.ReadyLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Runs the Jetstream stand-in. Without {@code --events-file} it serves the generated Coves sample
 * ({@link SampleNetwork}, seed {@code --seed}); with it, it serves the events of that JSONL file in order.
 *
 * {@code --repeat=N} appends the generated sample N times (fresh seqs; for load tests), {@code --zstd-dictionary}
 * enables {@code compress=true}, {@code --legacy} imitates a pre-rewrite server (no {@code cursor} field).
 *
 * <pre>--port=6008 [--seed=42] [--events-file=capture.jsonl] [--dump-sample=sample.jsonl] [--repeat=1]
 * [--zstd-dictionary=legacy_subscribe.zdict] [--legacy]</pre>
 */
public final class JetstreamServerMain {

    public static void main(String[] argv) throws Exception {
        LaunchArgs args = LaunchArgs.parse(argv);
        boolean legacy = args.flag("legacy");
        EventLog log = new EventLog(legacy);
        String file = args.string("events-file", null);
        if (file != null) {
            ObjectMapper mapper = new ObjectMapper();
            for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    log.append((ObjectNode) mapper.readTree(line));
                }
            }
        } else {
            SampleNetwork sample = SampleNetwork.generate(args.intValue("seed", 42), Instant.now());
            int repeat = args.intValue("repeat", 1);
            for (int r = 0; r < repeat; r++) {
                sample.events().forEach(e -> log.append(e.deepCopy()));
            }
            for (SampleNetwork.Community c : sample.communities()) {
                System.out.println("sample community " + c.name() + " " + c.did() + " " + c.handle());
            }
            String dump = args.string("dump-sample", null);
            if (dump != null) {
                List<String> lines = sample.events().stream().map(ObjectNode::toString).toList();
                Files.write(Path.of(dump), lines, StandardCharsets.UTF_8);
            }
        }
        String dictionary = args.string("zstd-dictionary", null);
        JetstreamServer.Options options = JetstreamServer.Options.DEFAULT.withLegacy(legacy)
                .withDictionary(dictionary == null ? null : Path.of(dictionary));
        JetstreamServer server = JetstreamServer.start(args.intValue("port", 6008), log, options);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jetstream-shutdown"));
        args.exitWithParentIfAsked();
        System.out.println("jetstream stand-in: " + log.size() + " events");
        ReadyLine.announce(server.subscribeUrl());
        Thread.currentThread().join();
    }
}
