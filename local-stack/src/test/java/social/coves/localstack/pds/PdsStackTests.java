package social.coves.localstack.pds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import social.coves.localstack.testing.SharedPdsStack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The real PDS stack: accounts, records, the Jetstream feed of its commits (live and replayed) and the PLC directory. */
class PdsStackTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROFILE = "social.coves.community.profile";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static PdsStack.Endpoints stack;
    private static PdsAccounts pds;
    private final List<WebSocket> sockets = new ArrayList<>();

    @BeforeAll
    static void start() {
        stack = SharedPdsStack.endpoints();
        pds = new PdsAccounts(stack.pdsUrl());
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(WebSocket::abort);
    }

    @Test
    void aCommunityProfileWrittenToThePdsIsServedLiveAndReplayedByTheFeed() throws Exception {
        List<JsonNode> live = subscribe("?wantedCollections=social.coves.*");
        PdsAccounts.Account community = pds.create(stack.handle("c-" + unique(8)), unique(6) + "@example.com", "hunter22");

        pds.createRecord(community, "org.example.note", null, Map.of("$type", "org.example.note", "text", "not wanted"));
        PdsAccounts.RecordRef ref = pds.createRecord(community, PROFILE, "self", profile(community, "first"));

        JsonNode commit = awaitFrame(live, f -> f.path("did").asText().equals(community.did()) && f.path("kind").asText().equals("commit"));
        assertThat(commit.at("/commit/operation").asText()).isEqualTo("create");
        assertThat(commit.at("/commit/collection").asText()).isEqualTo(PROFILE);
        assertThat(commit.at("/commit/rkey").asText()).isEqualTo("self");
        assertThat(commit.at("/commit/cid").asText()).isEqualTo(ref.cid());
        assertThat(commit.at("/commit/rev").asText()).hasSize(13);
        assertThat(commit.at("/commit/record/name").asText()).isEqualTo("first");
        assertThat(commit.at("/commit/record/$type").asText()).isEqualTo(PROFILE);
        // identity and account events pass the collection filter; the org.example.note commit (written first) did not
        List<JsonNode> mine = live.stream().filter(f -> f.path("did").asText().equals(community.did())).toList();
        assertThat(mine).extracting(f -> f.path("kind").asText()).containsExactly("identity", "account", "commit");
        assertThat(mine.getFirst().at("/identity/handle").asText()).isEqualTo(community.handle());
        assertThat(live.stream().map(f -> f.path("time_us").asLong()).toList()).isSorted().doesNotHaveDuplicates();

        long timeUs = commit.path("time_us").asLong();
        List<JsonNode> replay = subscribe("?wantedCollections=social.coves.*&cursor=" + (timeUs - 1));
        JsonNode replayed = awaitFrame(replay, f -> f.path("did").asText().equals(community.did()));
        assertThat(replayed).isEqualTo(commit);

        pds.putRecord(community, PROFILE, "self", profile(community, "second"));
        JsonNode update = awaitFrame(live, f -> f.at("/commit/operation").asText().equals("update") && f.path("did").asText().equals(community.did()));
        assertThat(update.at("/commit/record/name").asText()).isEqualTo("second");
        // the replaying subscriber went on live after its replay, without a gap or a duplicate
        awaitFrame(replay, f -> f.path("time_us").asLong() == update.path("time_us").asLong());
        assertThat(replay.stream().map(f -> f.path("time_us").asLong()).toList()).isSorted().doesNotHaveDuplicates();

        assertThat(pds.getRecord(community.did(), PROFILE, "self")).get()
                .satisfies(r -> assertThat(r.at("/value/name").asText()).isEqualTo("second"));
        pds.deleteRecord(community, PROFILE, "self");
        awaitFrame(live, f -> f.at("/commit/operation").asText().equals("delete") && f.path("did").asText().equals(community.did()));
        assertThat(pds.getRecord(community.did(), PROFILE, "self")).isEmpty();
    }

    @Test
    void thePlcDirectoryServesTheAccountsDidDocumentPointingAtThePds() throws Exception {
        PdsAccounts.Account user = pds.create(stack.handle("u" + unique(10)), unique(6) + "@example.com", "hunter22");

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.plcUrl() + "/" + user.did())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(response.body());
        assertThat(doc.path("id").asText()).isEqualTo(user.did());
        assertThat(doc.path("alsoKnownAs").get(0).asText()).isEqualTo("at://" + user.handle());
        Optional<JsonNode> pdsService = stream(doc.path("service")).filter(s -> s.path("id").asText().endsWith("#atproto_pds")).findFirst();
        assertThat(pdsService).get().satisfies(s -> assertThat(s.path("serviceEndpoint").asText()).isEqualTo(stack.pdsUrl()));
    }

    @Test
    void serviceAuthTokensAreSignedByTheAccountForTheAudienceAndMethod() throws Exception {
        PdsAccounts.Account user = pds.create(stack.handle("s" + unique(10)), unique(6) + "@example.com", "hunter22");

        String token = pds.serviceAuth(user, "did:web:localhost", "social.coves.community.create");

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("iss").asText()).isEqualTo(user.did());
        assertThat(claims.path("aud").asText()).isEqualTo("did:web:localhost");
        assertThat(claims.path("lxm").asText()).isEqualTo("social.coves.community.create");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(60);
    }

    @Test
    void handlesLongerThanEighteenCharactersBeforeTheDomainAreRefused() {
        String longest = "c-" + unique(16);
        PdsAccounts.Account ok = pds.create(stack.handle(longest), unique(6) + "@example.com", "hunter22");
        assertThat(ok.handle()).isEqualTo(longest + stack.handleDomain());

        assertThatThrownBy(() -> pds.create(stack.handle("c-" + unique(17)), unique(6) + "@example.com", "hunter22"))
                .isInstanceOfSatisfying(PdsAccounts.XrpcException.class, e -> assertThat(e.error()).isEqualTo("InvalidHandle"));
    }

    private static Map<String, Object> profile(PdsAccounts.Account community, String name) {
        return Map.of("$type", PROFILE, "name", name, "createdAt", "2026-12-06T20:00:00.000Z",
                "createdBy", community.did(), "hostedBy", "did:web:localhost");
    }

    /** Opens {@code /subscribe} with {@code query}; the frames land in the returned list. */
    private List<JsonNode> subscribe(String query) {
        List<JsonNode> frames = new CopyOnWriteArrayList<>();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(stack.jetstreamUrl() + query), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        frames.add(JSON.readTree(text.toString()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    text.setLength(0);
                }
                socket.request(1);
                return null;
            }
        }).join();
        sockets.add(ws);
        return frames;
    }

    private static JsonNode awaitFrame(List<JsonNode> frames, Predicate<JsonNode> wanted) {
        return await().atMost(30, TimeUnit.SECONDS).until(() -> frames.stream().filter(wanted).findFirst(), Optional::isPresent).get();
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static String unique(int length) {
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            s.append(UUID.randomUUID().toString().replace("-", ""));
        }
        return s.substring(0, length);
    }
}
