package social.coves.identity.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The network the service sees in tests: one HTTP server playing the PLC directory (host {@code localhost}),
 * did:web hosts and handle hosts (routed by the Host header), and a UDP DNS answerer for TXT and A records.
 * Names ending in {@code .test} answer A 127.0.0.1 unless told otherwise.
 */
public final class FakeNetwork {

    public record Route(int status, String contentType, byte[] body, long delayMillis, Map<String, String> headers) {
        public static Route json(String body) {
            return new Route(200, "application/json", body.getBytes(StandardCharsets.UTF_8), 0, Map.of());
        }

        public static Route text(String body) {
            return new Route(200, "text/plain", body.getBytes(StandardCharsets.UTF_8), 0, Map.of());
        }

        public static Route status(int status, String body) {
            return new Route(status, "application/json", body.getBytes(StandardCharsets.UTF_8), 0, Map.of());
        }

        public static Route redirect(String location) {
            return new Route(302, "text/plain", new byte[0], 0, Map.of("Location", location));
        }

        public Route delayed(long millis) {
            return new Route(status, contentType, body, millis, headers);
        }
    }

    private static FakeNetwork instance;

    private final HttpServer http;
    private final DatagramSocket dns;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, List<String>> txt = new ConcurrentHashMap<>();
    private final Map<String, List<String>> addresses = new ConcurrentHashMap<>();

    private FakeNetwork() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", this::serve);
        http.start();
        dns = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().name("fake-dns").start(this::answerDns);
    }

    public static synchronized FakeNetwork get() {
        if (instance == null) {
            try {
                instance = new FakeNetwork();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public int httpPort() {
        return http.getAddress().getPort();
    }

    public int dnsPort() {
        return dns.getLocalPort();
    }

    public void route(String host, String path, Route route) {
        routes.put(host + path, route);
    }

    public int hits(String host, String path) {
        AtomicInteger count = hits.get(host + path);
        return count == null ? 0 : count.get();
    }

    public void txt(String name, String... records) {
        txt.put(name.toLowerCase(Locale.ROOT), List.of(records));
    }

    public void address(String name, String... ips) {
        addresses.put(name.toLowerCase(Locale.ROOT), List.of(ips));
    }

    private void serve(HttpExchange exchange) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host");
        host = host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
        String key = host + exchange.getRequestURI().getRawPath();
        hits.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        Route route = routes.getOrDefault(key, Route.status(404, "{\"message\":\"not found\"}"));
        try {
            if (route.delayMillis() > 0) {
                exchange.sendResponseHeaders(route.status(), 0);   // headers now, body much later
                exchange.getResponseBody().flush();
                Thread.sleep(route.delayMillis());
                exchange.getResponseBody().write(route.body());
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", route.contentType());
            route.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(route.status(), route.body().length == 0 ? -1 : route.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(route.body());
            }
        } catch (InterruptedException | IOException e) {
            exchange.close();
        }
    }

    private void answerDns() {
        byte[] buffer = new byte[4096];
        while (!dns.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                dns.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                byte[] answer = answer(query).toWire();
                dns.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException e) {
                // keep serving
            }
        }
    }

    private Message answer(Message query) throws IOException {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        Record question = query.getQuestion();
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        String plain = name.toString(true).toLowerCase(Locale.ROOT);
        boolean known = false;
        if (question.getType() == Type.TXT && txt.containsKey(plain)) {
            known = true;
            for (String value : txt.get(plain)) {
                response.addRecord(new TXTRecord(name, DClass.IN, 60, value), Section.ANSWER);
            }
        }
        List<String> ips = addresses.getOrDefault(plain, plain.endsWith(".test") ? List.of("127.0.0.1") : List.of());
        if (!ips.isEmpty()) {
            known = true;
            for (String ip : ips) {
                InetAddress address = InetAddress.getByName(ip);
                if (question.getType() == Type.A && address.getAddress().length == 4) {
                    response.addRecord(new ARecord(name, DClass.IN, 60, address), Section.ANSWER);
                } else if (question.getType() == Type.AAAA && address.getAddress().length == 16) {
                    response.addRecord(new AAAARecord(name, DClass.IN, 60, address), Section.ANSWER);
                }
            }
        }
        if (!known && !txt.containsKey(plain)) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        return response;
    }
}
