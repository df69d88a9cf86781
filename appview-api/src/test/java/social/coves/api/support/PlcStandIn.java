package social.coves.api.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import social.coves.lexicon.crypto.SigningKey;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local PLC directory: {@code GET /<did>} answers the DID document that publishes the account's {@code #atproto}
 * key as a Multikey, the way plc.directory renders it. identity-service resolves against it in local mode.
 */
public final class PlcStandIn implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> documents = new ConcurrentHashMap<>();

    public PlcStandIn() throws java.io.IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String did = exchange.getRequestURI().getPath().substring(1);
            String doc = documents.get(did);
            byte[] body = (doc == null ? "{\"message\":\"DID not registered: " + did + "\"}" : doc).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(doc == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Publishes {@code did} with {@code handle} and {@code key} as its {@code #atproto} key. */
    public void publish(String did, String handle, SigningKey key) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.putArray("@context").add("https://www.w3.org/ns/did/v1").add("https://w3id.org/security/multikey/v1");
        doc.put("id", did);
        doc.putArray("alsoKnownAs").add("at://" + handle);
        doc.putArray("verificationMethod").addObject().put("id", did + "#atproto").put("type", "Multikey")
                .put("controller", did).put("publicKeyMultibase", key.publicKey().toMultibase());
        doc.putArray("service").addObject().put("id", "#atproto_pds").put("type", "AtprotoPersonalDataServer")
                .put("serviceEndpoint", "https://pds.coves.test");
        documents.put(did, doc.toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
