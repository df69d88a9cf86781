package social.coves.localstack.testing;

import social.coves.localstack.pds.PdsStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One PDS stack (PDS + PLC directory + Jetstream feed, {@link PdsStack}) per test JVM, shared by every test class;
 * its data lives in a temporary folder and it is stopped, and the folder deleted, when the JVM exits.
 */
public final class SharedPdsStack {

    private static PdsStack stack;

    private SharedPdsStack() {
    }

    public static synchronized PdsStack.Endpoints endpoints() {
        if (stack == null) {
            try {
                Path dir = Files.createTempDirectory("coves-pds-");
                PdsStack started = PdsStack.start(PdsStack.Options.inDir(dir));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    deleteTree(dir);
                }, "pds-stack-stop"));
                stack = started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stack.endpoints();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort, it is a temp folder
        }
    }
}
