package social.coves.localstack.aggregators;

import social.coves.localstack.LaunchArgs;
import social.coves.localstack.ReadyLine;
import social.coves.localstack.testing.TestHttpsHost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Dev only ({@code ./run-local.sh}): the HTTPS domain a local aggregator proves its DID with. Serves
 * {@code https://localhost:<port>/.well-known/atproto-did} from the file {@code <dir>/atproto-did} (read at every
 * request, so write the DID of the bot you register into it) with a self-signed certificate for {@code localhost},
 * written to {@code <dir>/localhost.pem} for the local identity-service to trust
 * ({@code COVES_IDENTITY_FETCH_EXTRA_TRUSTED_CERTIFICATES}). Register with {@code domain = localhost:<port>}.
 */
public final class AggregatorDomainMain {

    public static final String WELL_KNOWN = "/.well-known/atproto-did";

    private AggregatorDomainMain() {
    }

    public static void main(String[] argv) throws Exception {
        LaunchArgs args = LaunchArgs.parse(argv);
        Path dir = args.path("dir");
        Files.createDirectories(dir);
        TestHttpsHost host = TestHttpsHost.start(args.intValue("port", 0));
        Runtime.getRuntime().addShutdownHook(new Thread(host::close, "aggregator-domain-shutdown"));
        Files.copy(host.certificatePem(), dir.resolve("localhost.pem"), StandardCopyOption.REPLACE_EXISTING);
        host.serveFile(WELL_KNOWN, dir.resolve("atproto-did"));
        args.exitWithParentIfAsked();
        ReadyLine.announce("https://" + host.domain() + WELL_KNOWN);
        Thread.currentThread().join();
    }
}
