package social.coves.localstack.testing;

import social.coves.localstack.pds.PdsStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One PDS stack (PDS + PLC directory + Jetstream feed, {@link PdsStack}) per test JVM, shared by every test class;
 * its data lives in a temporary folder and it is stopped, and the folder deleted, when the JVM exits. Its process
 * resolves {@link TestTls#HOSTNAME} ({@code appview.coves-e2e.net}) to 127.0.0.1 and trusts {@link TestTls#shared()}'s
 * certificate, so a test serving HTTPS for that name on a loopback port (an OAuth client's metadata document) is
 * reachable from the PDS as {@code https://appview.coves-e2e.net:<port>/...}.
 */
public final class SharedPdsStack {

    private static PdsStack stack;

    private SharedPdsStack() {
    }

    public static synchronized PdsStack.Endpoints endpoints() {
        if (stack == null) {
            try {
                Path dir = Files.createTempDirectory("coves-pds-");
                TestTls tls = TestTls.shared();
                PdsStack started = PdsStack.start(PdsStack.Options.inDir(dir)
                        .withLoopbackHosts(List.of(tls.hostname()))
                        .withExtraCaCertificates(tls.certificatePem()));
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
