package social.coves.localstack.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real HTTPS host for tests: the JDK's {@link HttpsServer} on a free loopback port, with a self-signed certificate
 * for {@code localhost} (SAN {@code dns:localhost}, {@code ip:127.0.0.1}) made at start by the JDK's {@code keytool}
 * ({@link TestTls#generate}), or with a given {@link TestTls} ({@link #start(int, TestTls)}).
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

    private final TestTls tls;
    private final Path ownDir; // the folder of its own certificate, deleted on close (null: a given certificate)
    private final HttpsServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    private TestHttpsHost(int port, TestTls tls, Path ownDir) throws IOException {
        this.tls = tls;
        this.ownDir = ownDir;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
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
        Path dir = null;
        try {
            dir = Files.createTempDirectory("coves-https-host-");
            TestTls tls = TestTls.generate(dir, "localhost", List.of(), List.of("127.0.0.1"));
            return new TestHttpsHost(port, tls, dir);
        } catch (IOException | RuntimeException e) {
            if (dir != null) {
                deleteTree(dir);
            }
            throw new IllegalStateException("could not start the test HTTPS host", e);
        }
    }

    /**
     * A new host on {@code port} (0 = a free one) presenting {@code tls}'s certificate (e.g. {@link TestTls#shared()},
     * for {@code https://appview.coves-e2e.net:<port>}); close it when done (the certificate's files stay).
     */
    public static TestHttpsHost start(int port, TestTls tls) {
        try {
            return new TestHttpsHost(port, tls, null);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the test HTTPS host", e);
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
        return tls.certificatePem();
    }

    /** This host's certificate and its files. */
    public TestTls tls() {
        return tls;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code localhost:<port>} (or {@code <the certificate's host name>:<port>}): the name it is valid for, with the port. */
    public String domain() {
        return tls.hostname() + ":" + port();
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
        if (ownDir != null) {
            deleteTree(ownDir);
        }
    }

    private static void deleteTree(Path dir) {
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
}
