package social.coves.localstack.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JetstreamServerTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SampleNetwork SAMPLE = SampleNetwork.generate(7, Instant.parse("2026-11-01T00:00:00Z"));
    private static JetstreamServer server;

    @BeforeAll
    static void start() {
        EventLog log = new EventLog();
        SAMPLE.events().forEach(e -> log.append(e.deepCopy()));
        server = JetstreamServer.start(0, log);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void replaysFromCursorZeroInOrderWithSequenceNumbers() throws Exception {
        List<JsonNode> events = read("?cursor=0", SAMPLE.events().size());

        assertThat(events).hasSizeGreaterThanOrEqualTo(SAMPLE.events().size());
        for (int i = 0; i < SAMPLE.events().size(); i++) {
            assertThat(events.get(i).get("cursor").asLong()).isEqualTo(i + 1L);
        }
        assertThat(events.getFirst().get("kind").asText()).isEqualTo("identity");
    }

    @Test
    void cursorIsInclusiveAndCollectionFilterAppliesToCommitsOnly() throws Exception {
        long total = SAMPLE.events().stream().skip(9)
                .filter(e -> !"commit".equals(e.path("kind").asText()) || e.path("commit").path("collection").asText().equals(SampleNetwork.POST))
                .count();

        List<JsonNode> events = read("?cursor=10&wantedCollections=social.coves.community.post", (int) total);

        assertThat(events.getFirst().get("cursor").asLong()).isGreaterThanOrEqualTo(10);
        assertThat(events).allSatisfy(e -> {
            if (e.get("kind").asText().equals("commit")) {
                assertThat(e.at("/commit/collection").asText()).isEqualTo(SampleNetwork.POST);
            }
        });
        assertThat(events).hasSizeGreaterThanOrEqualTo((int) total);
        assertThat(events.stream().map(e -> e.get("cursor").asLong()).toList()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void liveTailDeliversAppendedEvents() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        WebSocket ws = connect("", received);
        var event = MAPPER.createObjectNode().put("did", "did:plc:live").put("kind", "identity").put("time_us", 1L);
        event.putObject("identity").put("did", "did:plc:live");
        server.log().append(event);
        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 1);
        assertThat(MAPPER.readTree(received.getFirst()).get("did").asText()).isEqualTo("did:plc:live");
        ws.abort();
    }

    @Test
    void optionsUpdateReplacesTheFilterAndBadMessagesCloseTheConnection() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        WebSocket ws = connect("?wantedDids=did:plc:first", received);
        ws.sendText("{\"type\":\"options_update\",\"payload\":{\"wantedDids\":[\"did:plc:second\"]}}", true).get(5, TimeUnit.SECONDS);
        Thread.sleep(500);   // the update is applied on the server's event loop before the next event
        for (String did : List.of("did:plc:first", "did:plc:second")) {
            var event = MAPPER.createObjectNode().put("did", did).put("kind", "identity").put("time_us", 2L);
            event.putObject("identity").put("did", did);
            server.log().append(event);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 1);
        Thread.sleep(200);
        assertThat(received).hasSize(1);
        assertThat(MAPPER.readTree(received.getFirst()).get("did").asText()).isEqualTo("did:plc:second");
        ws.abort();

        for (var bad : java.util.Map.of("not json", 1007, "{\"type\":\"options_update\",\"payload\":{\"wantedDids\":[1]}}", 1007,
                "{\"type\":\"options_update\",\"payload\":{\"wantedCollections\":[\"*\"]}}", 1008).entrySet()) {
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(server.subscribeUrl()), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closed.complete(statusCode);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            socket.sendText(bad.getKey(), true);
            assertThat(closed.get(10, TimeUnit.SECONDS)).as(bad.getKey()).isEqualTo(bad.getValue());
        }
    }

    @Test
    void badCursorIsAPlainText400() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/subscribe?cursor=abc")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("cursor");
    }

    private List<JsonNode> read(String query, int expected) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        WebSocket ws = connect(query, received);
        await().atMost(20, TimeUnit.SECONDS).until(() -> received.size() >= expected);
        ws.abort();
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String s : received) {
            out.add(MAPPER.readTree(s));
        }
        return out;
    }

    private WebSocket connect(String query, List<String> sink) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.subscribeUrl() + query), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            sink.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(10, TimeUnit.SECONDS);
    }
}
