package social.coves.localstack.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real HTTPS host for tests: the JDK's {@link HttpsServer} on a free loopback port, with a self-signed certificate
 * for {@code localhost} (SAN {@code dns:localhost}, {@code ip:127.0.0.1}) made at start by the JDK's {@code keytool}.
 * The certificate is written as PEM to {@link #certificatePem()} so the service under test can be told to trust it
 * explicitly (nothing here trusts all certificates). Tests set the answer per path; any other path is a 404.
 *
 * <pre>{@code
 * TestHttpsHost host = TestHttpsHost.shared();
 * host.serve("/.well-known/atproto-did", 200, did);
 * // fetch https://localhost:<port>/.well-known/atproto-did, i.e. https:// + host.domain() + path
 * }</pre>
 */
public final class TestHttpsHost implements AutoCloseable {

    /** A fixed answer, or (with {@code file}) the file's current content, 404 while it does not exist. */
    private record Answer(int status, String body, String location, Path file) {
        Answer(int status, String body, String location) {
            this(status, body, location, null);
        }

        Answer now() {
            if (file == null) {
                return this;
            }
            try {
                return Files.isRegularFile(file) ? new Answer(200, Files.readString(file), null) : NOT_FOUND;
            } catch (IOException e) {
                return new Answer(500, "cannot read " + file.getFileName(), null);
            }
        }
    }

    private static final Answer NOT_FOUND = new Answer(404, "not found", null);
    private static TestHttpsHost shared;

    private final Path dir;
    private final Path pem;
    private final HttpsServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    private TestHttpsHost(int port) throws IOException, GeneralSecurityException, InterruptedException {
        dir = Files.createTempDirectory("coves-https-host-");
        char[] password = UUID.randomUUID().toString().toCharArray();
        KeyStore keys = generateKeyStore(dir.resolve("localhost.p12"), password);
        pem = dir.resolve("localhost.pem");
        Files.writeString(pem, toPem(keys.getCertificate("localhost")), StandardCharsets.US_ASCII);

        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    /** A new host with its own certificate on a free port; close it when done. */
    public static TestHttpsHost start() {
        return start(0);
    }

    /** A new host with its own certificate on {@code port} (0 = a free one); close it when done. */
    public static TestHttpsHost start(int port) {
        try {
            return new TestHttpsHost(port);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not start the test HTTPS host", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the test HTTPS host", e);
        }
    }

    /** One host per test JVM, closed when the JVM exits. */
    public static synchronized TestHttpsHost shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** The PEM file holding this host's (self-signed) certificate. */
    public Path certificatePem() {
        return pem;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code localhost:<port>}: the name its certificate is valid for, with the port. */
    public String domain() {
        return "localhost:" + port();
    }

    /** Answers {@code path} with {@code status} and a {@code text/plain} body. */
    public void serve(String path, int status, String body) {
        answers.put(path, new Answer(status, body, null));
    }

    /** Answers {@code path} with the content of {@code file} as it is at each request (404 while it is missing). */
    public void serveFile(String path, Path file) {
        answers.put(path, new Answer(200, "", null, file));
    }

    /** Answers {@code path} with a 302 to {@code location}. */
    public void redirect(String path, String location) {
        answers.put(path, new Answer(302, "", location));
    }

    /** How many requests reached {@code path}. */
    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.getOrDefault(path, NOT_FOUND).now();
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            if (answer.location() != null) {
                exchange.getResponseHeaders().add("Location", answer.location());
            }
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client hung up early (a size cap, a refused certificate): nothing to do
        }
    }

    /** An EC P-256 key and a self-signed certificate for localhost, made by the running JDK's keytool. */
    private static KeyStore generateKeyStore(Path file, char[] password)
            throws IOException, GeneralSecurityException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path log = file.resolveSibling("keytool.log");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair",
                "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", new String(password),
                "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "7"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed (" + process.exitValue() + "): " + Files.readString(log));
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keys.load(in, password);
        }
        return keys;
    }

    private static String toPem(Certificate certificate) throws GeneralSecurityException {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded());
        return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    }
}
