package social.coves.localstack.jetstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.localstack.LaunchArgs;
import social.coves.localstack.ReadyLine;
import social.coves.localstack.synthetic.NetworkShape;
import social.coves.localstack.synthetic.SyntheticNetwork;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;

/**
 * Runs the Jetstream stand-in. Without {@code --events-file} or {@code --generate} it serves the bundled Coves sample
 * ({@link SampleNetwork}, seed {@code --seed}); with {@code --events-file} the events of that JSONL file in order.
 *
 * {@code --generate=N} serves a {@link SyntheticNetwork} of N frames (seed {@code --seed}): all of them from the start,
 * or, with {@code --rate=R}, appended live at R frames per second (time_us = when appended). {@code --repeat=N}
 * appends the bundled sample N times (fresh seqs), {@code --zstd-dictionary} enables {@code compress=true},
 * {@code --legacy} imitates a pre-rewrite server (no {@code cursor} field). {@code --dump-sample} writes the
 * sample or the generated frames as JSONL.
 *
 * <pre>--port=6008 [--seed=42] [--events-file=capture.jsonl] [--dump-sample=sample.jsonl] [--repeat=1]
 * [--generate=N [--rate=EVENTS_PER_SEC]] [--zstd-dictionary=legacy_subscribe.zdict] [--legacy]
 * [--pre-encode=text|compressed]</pre>
 *
 * {@code --pre-encode} encodes every frame before the ready line (benchmarks: the stand-in then only writes).
 */
public final class JetstreamServerMain {

    public static void main(String[] argv) throws Exception {
        LaunchArgs args = LaunchArgs.parse(argv);
        boolean legacy = args.flag("legacy");
        EventLog log = new EventLog(legacy);
        String file = args.string("events-file", null);
        String generate = args.string("generate", null);
        Iterator<ObjectNode> live = null;
        double rate = Double.parseDouble(args.string("rate", "0"));
        if (generate != null) {
            live = generated(Long.parseLong(generate), args.intValue("seed", 42), rate, args.string("dump-sample", null));
            if (rate <= 0) {
                live.forEachRemaining(log::append);
            }
        } else if (file != null) {
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
        String preEncode = args.string("pre-encode", null);
        if (preEncode != null) {
            server.preEncode("compressed".equals(preEncode));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jetstream-shutdown"));
        if (live != null && rate > 0) {
            PacedFeed.start(log, live, rate);
            System.out.println("jetstream stand-in: appending " + generate + " generated events at " + rate + "/s");
        }
        args.exitWithParentIfAsked();
        System.out.println("jetstream stand-in: " + log.size() + " events");
        ReadyLine.announce(server.subscribeUrl());
        Thread.currentThread().join();
    }

    /** The generated network's frames, ending about now when served at once, starting now when paced. */
    private static Iterator<ObjectNode> generated(long events, long seed, double rate, String dump) throws IOException {
        NetworkShape shape = NetworkShape.forEvents(events);
        Instant start = rate > 0 ? Instant.now() : Instant.now().minusNanos(events * shape.meanGapMicros() * 1000);
        SyntheticNetwork network = new SyntheticNetwork(shape, seed, start);
        for (int rank = 0; rank < Math.min(5, shape.communities()); rank++) {
            System.out.println("sample community " + SyntheticNetwork.communityName(rank) + " " + network.communityDid(rank) + " "
                    + network.communityHandle(rank));
        }
        if (dump == null) {
            return network;
        }
        BufferedWriter out = Files.newBufferedWriter(Path.of(dump), StandardCharsets.UTF_8);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = network.hasNext();
                if (!more) {
                    closeQuietly(out);
                }
                return more;
            }

            @Override
            public ObjectNode next() {
                ObjectNode frame = network.next();
                try {
                    out.write(frame.toString());
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return frame;
            }
        };
    }

    private static void closeQuietly(BufferedWriter out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the dump is a convenience
        }
    }
}
