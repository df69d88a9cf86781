package social.coves.identity.safety;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A deliberately small HTTP/1.1 GET client for untrusted identity hosts. It resolves the host itself, checks every
 * address with {@link AddressPolicy} and connects to the checked address (no second DNS look-up, so DNS rebinding
 * cannot swap in a private address), speaks TLS with SNI and host-name verification, never follows redirects,
 * caps the body and bounds connect, read and total time. HTTPS on 443 only, except in local mode.
 */
public final class SafeHttpClient {

    public record Settings(Duration connectTimeout, Duration readTimeout, Duration totalTimeout, String userAgent) {
    }

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final AddressPolicy policy;
    private final HostResolver resolver;
    private final Settings settings;
    private final SSLSocketFactory tls;

    public SafeHttpClient(AddressPolicy policy, HostResolver resolver, Settings settings) {
        this(policy, resolver, settings, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    public SafeHttpClient(AddressPolicy policy, HostResolver resolver, Settings settings, SSLSocketFactory tls) {
        this.policy = policy;
        this.resolver = resolver;
        this.settings = settings;
        this.tls = tls;
    }

    public HttpResult get(URI uri, int maxBodyBytes, String accept) throws FetchException {
        long deadline = System.nanoTime() + settings.totalTimeout().toNanos();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        if (!https && !(scheme.equals("http") && policy.localMode())) {
            throw new FetchException(FetchFailure.FORBIDDEN_SCHEME, "only https is allowed: " + uri);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty() || uri.getRawUserInfo() != null) {
            throw new FetchException(FetchFailure.BAD_RESPONSE, "no usable host in " + uri);
        }
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        if (!policy.localMode() && port != 443) {
            throw new FetchException(FetchFailure.FORBIDDEN_PORT, "only port 443 is allowed: " + uri);
        }
        if (isIpLiteral(host) && !policy.localMode()) {
            throw new FetchException(FetchFailure.IP_LITERAL, "IP-literal hosts are not allowed: " + host);
        }
        InetAddress address = pickAddress(host);
        try (Socket socket = connect(address, port, host, https, deadline)) {
            writeRequest(socket.getOutputStream(), uri, host, port, https, accept);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            return readResponse(socket, in, maxBodyBytes, deadline, uri);
        } catch (SocketTimeoutException e) {
            throw new FetchException(FetchFailure.TIMEOUT, "timed out fetching " + uri, e);
        } catch (IOException e) {
            throw new FetchException(FetchFailure.IO, "failed fetching " + uri + ": " + e.getMessage(), e);
        }
    }

    private InetAddress pickAddress(String host) throws FetchException {
        List<InetAddress> addresses = resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new FetchException(FetchFailure.NO_ADDRESS, "no address for " + host);
        }
        FetchFailure firstRefusal = null;
        for (InetAddress address : addresses) {
            Optional<FetchFailure> refusal = policy.check(address);
            if (refusal.isEmpty()) {
                return address;
            }
            if (firstRefusal == null) {
                firstRefusal = refusal.get();
            }
        }
        throw new FetchException(firstRefusal, host + " resolves only to refused addresses (" + firstRefusal.label() + ")");
    }

    private Socket connect(InetAddress address, int port, String host, boolean https, long deadline) throws IOException, FetchException {
        Socket raw = new Socket();
        try {
            int connectMillis = (int) Math.min(settings.connectTimeout().toMillis(), remainingMillis(deadline));
            raw.connect(new InetSocketAddress(address, port), Math.max(1, connectMillis));
            raw.setSoTimeout(readTimeoutMillis(deadline));
            if (!https) {
                return raw;
            }
            SSLSocket socket = (SSLSocket) tls.createSocket(raw, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private void writeRequest(OutputStream out, URI uri, String host, int port, boolean https, String accept) throws IOException {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        boolean defaultPort = port == (https ? 443 : 80);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + (defaultPort ? "" : ":" + port) + "\r\n"
                + "Accept: " + accept + "\r\n"
                + "Accept-Encoding: identity\r\n"
                + "User-Agent: " + settings.userAgent() + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private HttpResult readResponse(Socket socket, InputStream in, int maxBody, long deadline, URI uri)
            throws IOException, FetchException {
        Budget budget = new Budget(socket, deadline);
        String statusLine = readLine(in, budget);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new FetchException(FetchFailure.BAD_RESPONSE, "not an HTTP/1.x response from " + uri);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new FetchException(FetchFailure.BAD_RESPONSE, "bad status line from " + uri);
        }
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(in, budget); !line.isEmpty(); line = readLine(in, budget)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + "," + b);
            }
        }
        if (status >= 300 && status < 400) {
            throw new FetchException(FetchFailure.REDIRECT, "redirects are not followed (" + status + " from " + uri + ")");
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = readChunked(in, maxBody, budget, uri);
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new FetchException(FetchFailure.BAD_RESPONSE, "bad Content-Length from " + uri);
            }
            if (length > maxBody) {
                throw new FetchException(FetchFailure.TOO_LARGE, "response of " + length + " bytes exceeds " + maxBody + " from " + uri);
            }
            body = readExactly(in, (int) length, budget, uri);
        } else {
            body = readToEnd(in, maxBody, budget, uri);
        }
        return new HttpResult(status, Map.copyOf(headers), body);
    }

    private byte[] readChunked(InputStream in, int maxBody, Budget budget, URI uri) throws IOException, FetchException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in, budget);
            int semicolon = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
            } catch (NumberFormatException e) {
                throw new FetchException(FetchFailure.BAD_RESPONSE, "bad chunk size from " + uri);
            }
            if (size == 0) {
                return out.toByteArray();
            }
            if (size < 0 || out.size() + (long) size > maxBody) {
                throw new FetchException(FetchFailure.TOO_LARGE, "response exceeds " + maxBody + " bytes from " + uri);
            }
            out.write(readExactly(in, size, budget, uri));
            readLine(in, budget);
        }
    }

    private byte[] readExactly(InputStream in, int length, Budget budget, URI uri) throws IOException, FetchException {
        byte[] body = new byte[length];
        int read = 0;
        while (read < length) {
            budget.beforeRead();
            int n = in.read(body, read, length - read);
            if (n < 0) {
                throw new FetchException(FetchFailure.BAD_RESPONSE, "response body cut short from " + uri);
            }
            read += n;
        }
        return body;
    }

    private byte[] readToEnd(InputStream in, int maxBody, Budget budget, URI uri) throws IOException, FetchException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            budget.beforeRead();
            int n = in.read(buffer);
            if (n < 0) {
                return out.toByteArray();
            }
            if (out.size() + n > maxBody) {
                throw new FetchException(FetchFailure.TOO_LARGE, "response exceeds " + maxBody + " bytes from " + uri);
            }
            out.write(buffer, 0, n);
        }
    }

    private String readLine(InputStream in, Budget budget) throws IOException, FetchException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            budget.beforeRead();
            int b = in.read();
            if (b < 0) {
                throw new FetchException(FetchFailure.BAD_RESPONSE, "connection closed inside the response head");
            }
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
            if (budget.headerBytes++ > MAX_HEADER_BYTES) {
                throw new FetchException(FetchFailure.TOO_LARGE, "response head larger than " + MAX_HEADER_BYTES + " bytes");
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private int readTimeoutMillis(long deadline) throws FetchException {
        long remaining = remainingMillis(deadline);
        if (remaining <= 0) {
            throw new FetchException(FetchFailure.TIMEOUT, "total fetch time exceeded");
        }
        return (int) Math.max(1, Math.min(settings.readTimeout().toMillis(), remaining));
    }

    private static long remainingMillis(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000;
    }

    static boolean isIpLiteral(String host) {
        if (host.startsWith("[") || host.indexOf(':') >= 0) {
            return true;
        }
        return host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** Keeps every blocking read within both the read timeout and the overall deadline. */
    private final class Budget {
        private final Socket socket;
        private final long deadline;
        private int headerBytes;
        private long lastCheck;

        Budget(Socket socket, long deadline) {
            this.socket = socket;
            this.deadline = deadline;
        }

        void beforeRead() throws IOException, FetchException {
            long now = System.nanoTime();
            if (now - lastCheck < 1_000_000 && lastCheck != 0) {
                return; // cheap path for byte-by-byte header reads
            }
            lastCheck = now;
            socket.setSoTimeout(readTimeoutMillis(deadline));
        }
    }
}
