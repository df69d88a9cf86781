package social.coves.api.aggregators;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import social.coves.api.writes.WriteFixtures;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.SharedPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static social.coves.api.writes.WriteFixtures.bearer;

/** Calls to one API instance ({@code baseUri}, or the test app) with accounts and tokens of {@link WriteFixtures}. */
final class AggregatorFixtures {

    static final String POST = "social.coves.community.post.create";

    private final String baseUri;

    AggregatorFixtures(String baseUri) {
        this.baseUri = baseUri;
    }

    /** The aggregator's own declaration, written into its repository on the PDS. */
    static Map<String, Object> serviceRecord(String did, String displayName) {
        return Map.of("$type", "social.coves.aggregator.service", "did", did, "displayName", displayName,
                "description", "posts the news", "sourceUrl", "https://example.test/source", "createdAt", Instant.now().toString());
    }

    RequestSpecification request() {
        RequestSpecification spec = given();
        return baseUri == null ? spec : spec.baseUri(baseUri);
    }

    Response call(PdsAccounts.Account caller, String nsid, Object body) {
        return call(bearer(caller, nsid), nsid, body);
    }

    Response call(String authorization, String nsid, Object body) {
        return request().header("Authorization", authorization).contentType("application/json").body(body).when().post("/xrpc/" + nsid);
    }

    String createCommunity(PdsAccounts.Account creator) {
        String name = WriteFixtures.uniqueName("agg");
        return call(creator, "social.coves.community.create", Map.of("name", name, "displayName", "The " + name,
                "description", "about " + name, "visibility", "public")).then().statusCode(200).extract().path("did");
    }

    Response post(String authorization, String community, String title) {
        Map<String, Object> body = new HashMap<>(Map.of("community", community, "title", title, "content", "from a bot"));
        return call(authorization, POST, body);
    }

    /** Registers {@code did} without the domain proof, for tests about what comes after registration. */
    static void registerDirectly(String did) throws Exception {
        sql("INSERT INTO coves_api.aggregator_registrations (did, domain) VALUES (?, 'bot.example.test') ON CONFLICT DO NOTHING", did);
    }

    /** Puts a service row in the index, for tests that run no indexer. */
    static void indexServiceDirectly(String did) throws Exception {
        sql("INSERT INTO appview.aggregator_services (did, uri, display_name, created_at) VALUES (?, 'at://' || ? || "
                + "'/social.coves.aggregator.service/self', 'Replica test bot', now()) ON CONFLICT DO NOTHING", did, did);
    }

    private static void sql(String statement, String... args) throws Exception {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
