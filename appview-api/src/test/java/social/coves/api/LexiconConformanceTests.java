package social.coves.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import social.coves.api.support.Events;
import social.coves.api.support.IdentityServiceResource;
import social.coves.api.support.LexiconConformance;
import social.coves.api.support.RunningIdentityService;
import social.coves.api.support.RunningIndexer;
import social.coves.api.support.ServiceJwts;
import social.coves.lexicon.crypto.KeyAlgorithm;
import social.coves.lexicon.crypto.SigningKey;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.schema.SchemaDef;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.SharedPostgres;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Every query the API serves, walked the way clients use it — each sort and timeframe, page 1 and the next page,
 * anonymous and with a viewer, a thread with a deleted comment that has replies, {@code post.get} with a missing URI —
 * over data with images, embeds, facets, labels, votes, subscriptions and blocks. {@link LexiconConformance} validates
 * each answer against the published lexicon; this class makes sure every answer shape is produced at least once, and
 * that every query the lexicons publish is either walked here or answered 501 (not served).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(IdentityServiceResource.class)
class LexiconConformanceTests {

    static final String APPVIEW = "did:web:localhost";
    static final String POST = "social.coves.community.post";
    static final String COMMENT = "social.coves.community.comment";
    static final String C1 = "did:plc:conformcommunityoneaaaaa";
    static final String C2 = "did:plc:conformcommunitytwoaaaaa";
    static final String ALICE = "did:plc:conformaliceaaaaaaaaaaaa";
    static final String BOB = "did:plc:conformbobaaaaaaaaaaaaaaa";
    static final String BOT = "did:plc:conformaggregatoroneaaaa";
    static final String BOT2 = "did:plc:conformaggregatortwoaaaa";
    static final SigningKey ALICE_KEY = SigningKey.generate(KeyAlgorithm.ES256K);
    static final Instant NOW = Instant.now();

    /** Published queries this API does not serve (yet): they answer 501 MethodNotImplemented. */
    static final Set<String> NOT_SERVED = Set.of("social.coves.community.post.search", "social.coves.community.getMembers",
            "social.coves.moderation.listBans", "social.coves.moderation.getBanStatus", "social.coves.feed.getAll");

    static boolean seeded;
    static final List<String> posts = new ArrayList<>();
    static String commentedPost;
    static final Set<String> walked = new TreeSet<>();
    static final Set<String> paginated = new TreeSet<>();
    static final Set<String> paged = new TreeSet<>();

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        RunningIdentityService.get().plc().publish(ALICE, "alice.conform.test", ALICE_KEY);
        List<EventEnvelope> events = new ArrayList<>();
        events.add(Events.identity(C1, "c-conformone.coves.test"));
        events.add(Events.identity(C2, "c-conformtwo.coves.test"));
        events.add(Events.identity(ALICE, "alice.conform.test"));
        events.add(Events.identity(BOB, "bob.conform.test"));
        ObjectNode one = Events.community("conformone", NOW.minus(Duration.ofDays(400)));
        one.put("description", "Conformance community, with pictures");
        one.set("avatar", blob("one avatar"));
        one.set("banner", blob("one banner"));
        events.add(Events.create(C1, "social.coves.community.profile", "self", one));
        events.add(Events.create(C2, "social.coves.community.profile", "self", Events.community("conformtwo", NOW.minus(Duration.ofDays(3)))));
        ObjectNode profile = JsonNodeFactory.instance.objectNode().put("$type", "social.coves.actor.profile")
                .put("displayName", "Alice").put("description", "hello").put("createdAt", NOW.minus(Duration.ofDays(30)).toString());
        profile.set("avatar", blob("alice avatar"));
        profile.set("banner", blob("alice banner"));
        events.add(Events.create(ALICE, "social.coves.actor.profile", "self", profile));
        // posts across every timeframe, one with a link embed (thumb), facets, langs and self-labels
        Duration[] ages = {Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(5), Duration.ofDays(3),
                Duration.ofDays(20), Duration.ofDays(200), Duration.ofDays(390)};
        for (int i = 0; i < ages.length; i++) {
            ObjectNode post = Events.post(C1, i % 2 == 0 ? ALICE : BOB, "post " + i, NOW.minus(ages[i]));
            if (i == 0) {
                ObjectNode external = post.putObject("embed").put("$type", "social.coves.embed.external").putObject("external")
                        .put("uri", "https://news.example/story").put("title", "A story").put("description", "what happened");
                external.set("thumb", blob("thumb"));
                ObjectNode facet = post.putArray("facets").addObject();
                facet.putObject("index").put("byteStart", 0).put("byteEnd", 5);
                facet.putArray("features").addObject().put("$type", "social.coves.richtext.facet#link").put("uri", "https://news.example/");
                post.putArray("langs").add("en");
                post.putObject("labels").put("$type", "com.atproto.label.defs#selfLabels").putArray("values").addObject().put("val", "spoiler");
            }
            posts.add(post(events, C1, post));
        }
        posts.add(post(events, C2, Events.post(C2, BOB, "elsewhere", NOW.minus(Duration.ofHours(2)))));
        commentedPost = posts.get(0);
        String postCid = cidOf(events, commentedPost);
        events.add(Events.create(ALICE, "social.coves.feed.vote", Events.tid(), Events.vote(commentedPost, postCid, "up")));
        events.add(Events.create(BOB, "social.coves.feed.vote", Events.tid(), Events.vote(posts.get(1), cidOf(events, posts.get(1)), "down")));
        // a thread: a deleted comment that has a reply, top-level comments enough for two pages, a comment vote
        String gone = comment(events, BOB, commentedPost, postCid, commentedPost, postCid, "deleted later", NOW.minus(Duration.ofMinutes(4)));
        comment(events, ALICE, commentedPost, postCid, gone, cidOf(events, gone), "a reply to what was deleted", NOW.minus(Duration.ofMinutes(3)));
        events.add(Events.delete(BOB, COMMENT, gone.substring(gone.lastIndexOf('/') + 1)));
        for (int i = 0; i < 3; i++) {
            String c = comment(events, i % 2 == 0 ? ALICE : BOB, commentedPost, postCid, commentedPost, postCid, "top " + i,
                    NOW.minus(Duration.ofMinutes(2 + i)));
            comment(events, ALICE, commentedPost, postCid, c, cidOf(events, c), "reply " + i, NOW.minus(Duration.ofMinutes(1)));
            events.add(Events.create(ALICE, "social.coves.feed.vote", Events.tid(), Events.vote(c, cidOf(events, c), "up")));
        }
        events.add(Events.create(ALICE, "social.coves.community.subscription", Events.tid(), Events.subscription(C1, 5)));
        events.add(Events.create(BOB, "social.coves.community.subscription", Events.tid(), Events.subscription(C1, 3)));
        events.add(Events.create(BOB, "social.coves.community.subscription", Events.tid(), Events.subscription(C2, 3)));
        events.add(Events.create(ALICE, "social.coves.community.block", Events.tid(), Events.block(C2)));
        // aggregators: two declared, authorised (and one disabled) in the communities, one posting
        for (String bot : List.of(BOT, BOT2)) {
            ObjectNode service = JsonNodeFactory.instance.objectNode().put("$type", "social.coves.aggregator.service").put("did", bot)
                    .put("displayName", "Bot " + bot.substring(bot.length() - 8)).put("description", "posts links")
                    .put("sourceUrl", "https://source.example/bot").put("maintainer", ALICE).put("createdAt", NOW.minus(Duration.ofDays(9)).toString());
            service.set("avatar", blob("bot avatar " + bot));
            service.putObject("configSchema").put("type", "object");
            events.add(Events.create(bot, "social.coves.aggregator.service", "self", service));
        }
        events.add(Events.create(C1, "social.coves.aggregator.authorization", Events.tid(), authorization(BOT, C1, true, NOW.minus(Duration.ofDays(3)))));
        events.add(Events.create(C1, "social.coves.aggregator.authorization", Events.tid(), authorization(BOT2, C1, false, NOW.minus(Duration.ofDays(2)))));
        events.add(Events.create(C2, "social.coves.aggregator.authorization", Events.tid(), authorization(BOT, C2, true, NOW.minus(Duration.ofDays(1)))));
        posts.add(post(events, C1, Events.post(C1, BOT, "from a bot", NOW.minus(Duration.ofMinutes(10)))));
        RunningIndexer.get().index(events);
        registerAggregator(ALICE);
        seeded = true;
    }

    @Test
    void everyQueryAnswersWhatItsLexiconSays() {
        for (String viewer : new String[] {null, ALICE}) {
            for (String community : List.of(C1, "c-conformone.coves.test", C2)) {
                walk("social.coves.community.get", viewer, Map.of("community", community), false);
            }
            for (String sort : List.of("popular", "active", "new", "alphabetical")) {
                walk("social.coves.community.list", viewer, Map.of("sort", sort, "limit", "1"), true);
            }
            walk("social.coves.community.search", viewer, Map.of("q", "conform", "limit", "1"), true);
            walk("social.coves.community.getSubscribers", viewer, Map.of("community", C1, "limit", "1"), true);
            for (String sort : List.of("hot", "new", "top")) {
                for (String timeframe : sort.equals("top") ? List.of("hour", "day", "week", "month", "year", "all") : List.of("")) {
                    Map<String, String> params = new HashMap<>(Map.of("sort", sort, "limit", "2"));
                    if (!timeframe.isEmpty()) {
                        params.put("timeframe", timeframe);
                    }
                    walk("social.coves.feed.getCommunity", viewer, with(params, "community", C1), true);
                    walk("social.coves.feed.getDiscover", viewer, params, true);
                    if (viewer != null) {
                        walk("social.coves.feed.getTimeline", viewer, params, true);
                    }
                    walk("social.coves.community.comment.getComments", viewer, with(with(params, "post", commentedPost), "limit", "1"), true);
                }
            }
            walk("social.coves.community.comment.getComments", viewer, Map.of("post", commentedPost, "sort", "new", "depth", "0"), false);
            Response many = walk("social.coves.community.post.get", viewer, Map.of(), false,
                    r -> r.queryParam("uris", posts.get(0)).queryParam("uris", posts.get(1) + "x").queryParam("uris", posts.get(2)));
            many.then().body("posts[1].notFound", equalTo(true));
            walk("social.coves.actor.getProfile", viewer, Map.of("actor", ALICE), false);
            walk("social.coves.actor.getProfile", viewer, Map.of("actor", "bob.conform.test"), false);
            for (String filter : List.of("posts_with_replies", "posts_no_replies", "posts_with_media")) {
                walk("social.coves.actor.getPosts", viewer, Map.of("actor", ALICE, "filter", filter, "limit", "1"), true);
            }
            walk("social.coves.actor.getComments", viewer, Map.of("actor", ALICE, "limit", "1"), true);
            walk("social.coves.actor.getComments", viewer, Map.of("actor", ALICE, "community", C1, "limit", "1"), true);
            for (String detailed : List.of("false", "true")) {
                walk("social.coves.aggregator.getServices", viewer, Map.of("detailed", detailed), false,
                        r -> r.queryParam("dids", BOT).queryParam("dids", BOT2).queryParam("dids", ALICE));
            }
            for (String enabledOnly : List.of("true", "false")) {
                walk("social.coves.aggregator.getAuthorizations", viewer, Map.of("aggregatorDid", BOT, "enabledOnly", enabledOnly, "limit", "1"), true);
                walk("social.coves.aggregator.listForCommunity", viewer, Map.of("community", C1, "enabledOnly", enabledOnly, "limit", "1"), true);
            }
        }
        // an aggregator's own key status, before and after it makes a key (the key's answer is checked too)
        walk("social.coves.aggregator.getApiKey", ALICE, Map.of(), false).then().body("hasKey", equalTo(false));
        given().header("Authorization", ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, "social.coves.aggregator.createApiKey"))
                .contentType("application/json").body("{}").when().post("/xrpc/social.coves.aggregator.createApiKey").then().statusCode(200);
        walk("social.coves.aggregator.getApiKey", ALICE, Map.of(), false).then().body("hasKey", equalTo(true));
        given().queryParam("uris", posts.getLast()).when().get("/xrpc/social.coves.community.post.get")
                .then().statusCode(200).body("posts[0].author.isAggregator", equalTo(true));
        // the thread's deleted comment is a placeholder, and a valid view (checked by LexiconConformance)
        given().queryParam("post", commentedPost).queryParam("sort", "new").when().get("/xrpc/social.coves.community.comment.getComments")
                .then().statusCode(200).body("comments.find { it.comment.isDeleted }.replies[0].comment.record.content",
                        equalTo("a reply to what was deleted"));

        assertThat(paged).as("listings whose second page was read").isEqualTo(paginated);

        Set<String> published = new TreeSet<>();
        LexiconConformance.publishedQueries().forEach(published::add);
        for (String nsid : published) {
            if (NOT_SERVED.contains(nsid)) {
                given().when().get("/xrpc/" + nsid).then().statusCode(501).body("error", equalTo("MethodNotImplemented"));
            } else {
                assertThat(walked).as("queries walked for conformance").contains(nsid);
            }
        }
    }

    /**
     * The API refuses no value its lexicons allow: every integer parameter at its lexicon's minimum and maximum, and
     * {@code timeframe} (which the lexicons say is ignored for sorts other than top) with each sort.
     */
    @Test
    void everyParameterValueTheLexiconsAllowIsAccepted() {
        Map<String, String> samples = Map.of("community", C1, "post", commentedPost, "actor", ALICE, "uris", posts.get(0), "q", "conform",
                "dids", BOT, "aggregatorDid", BOT);
        for (String nsid : LexiconConformance.publishedQueries()) {
            if (NOT_SERVED.contains(nsid) || nsid.equals("social.coves.feed.getTimeline")) {
                continue; // the timeline needs a viewer: covered below
            }
            SchemaDef.ParamsSchema params = LexiconConformance.published().xrpcMethod(nsid).orElseThrow().parameters();
            Map<String, String> required = new HashMap<>();
            params.required().forEach(name -> required.put(name, samples.get(name)));
            params.properties().forEach((name, schema) -> {
                if (schema instanceof SchemaDef.IntegerSchema integer) {
                    for (Long bound : new Long[] {integer.minimum(), integer.maximum()}) {
                        if (bound != null) {
                            given().queryParams(with(required, name, bound.toString())).when().get("/xrpc/" + nsid)
                                    .then().statusCode(200);
                        }
                    }
                }
                if (name.equals("timeframe")) {
                    for (String sort : List.of("hot", "new", "top")) {
                        given().queryParams(with(with(required, "sort", sort), "timeframe", "week")).when().get("/xrpc/" + nsid)
                                .then().statusCode(200);
                    }
                }
            });
        }
        for (String sort : List.of("hot", "new", "top")) {
            given().queryParam("sort", sort).queryParam("timeframe", "week").queryParam("limit", 50)
                    .header("Authorization", ServiceJwts.bearer(ALICE_KEY, ALICE, APPVIEW, "social.coves.feed.getTimeline"))
                    .when().get("/xrpc/social.coves.feed.getTimeline").then().statusCode(200);
        }
    }

    private Response walk(String nsid, String viewer, Map<String, String> params, boolean nextPage) {
        return walk(nsid, viewer, params, nextPage, r -> r);
    }

    /** Page 1, and the next page when asked and there is one; LexiconConformance judges each answer. */
    private Response walk(String nsid, String viewer, Map<String, String> params, boolean nextPage,
                          java.util.function.UnaryOperator<RequestSpecification> extra) {
        RequestSpecification request = extra.apply(given().queryParams(params));
        if (viewer != null) {
            request.header("Authorization", ServiceJwts.bearer(ALICE_KEY, viewer, APPVIEW, nsid));
        }
        Response page = request.when().get("/xrpc/" + nsid);
        page.then().statusCode(200);
        walked.add(nsid);
        String cursor = page.jsonPath().getString("cursor");
        if (nextPage) {
            paginated.add(nsid);
        }
        if (nextPage && cursor != null) {
            paged.add(nsid);
            RequestSpecification next = given().queryParams(params).queryParam("cursor", cursor);
            if (viewer != null) {
                next.header("Authorization", ServiceJwts.bearer(ALICE_KEY, viewer, APPVIEW, nsid));
            }
            next.when().get("/xrpc/" + nsid).then().statusCode(200);
        }
        return page;
    }

    private static Map<String, String> with(Map<String, String> params, String key, String value) {
        Map<String, String> copy = new HashMap<>(params);
        copy.put(key, value);
        return copy;
    }

    private static String post(List<EventEnvelope> events, String community, ObjectNode record) {
        String rkey = Events.tid();
        events.add(Events.create(community, POST, rkey, record));
        return "at://" + community + "/" + POST + "/" + rkey;
    }

    private static String comment(List<EventEnvelope> events, String author, String rootUri, String rootCid, String parentUri,
                                  String parentCid, String text, Instant at) {
        String rkey = Events.tid();
        events.add(Events.create(author, COMMENT, rkey, Events.comment(rootUri, rootCid, parentUri, parentCid, text, at)));
        return "at://" + author + "/" + COMMENT + "/" + rkey;
    }

    private static ObjectNode authorization(String aggregator, String community, boolean enabled, Instant at) {
        ObjectNode record = JsonNodeFactory.instance.objectNode().put("$type", "social.coves.aggregator.authorization")
                .put("aggregatorDid", aggregator).put("communityDid", community).put("enabled", enabled)
                .put("createdAt", at.toString()).put("createdBy", ALICE);
        record.putObject("config").put("feed", "https://news.example/rss");
        if (!enabled) {
            record.put("disabledAt", at.plus(Duration.ofHours(1)).toString()).put("disabledBy", ALICE);
        }
        return record;
    }

    private static void registerAggregator(String did) {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             java.sql.PreparedStatement s = c.prepareStatement("INSERT INTO coves_api.aggregator_registrations (did, domain) "
                     + "VALUES (?, 'conform.example.test') ON CONFLICT DO NOTHING")) {
            s.setString(1, did);
            s.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cidOf(List<EventEnvelope> events, String uri) {
        return events.stream().filter(e -> e.commit() != null && uri.equals("at://" + e.did() + "/" + e.commit().collection() + "/" + e.commit().rkey()))
                .findFirst().orElseThrow().commit().cid();
    }

    private static ObjectNode blob(String seed) {
        ObjectNode blob = JsonNodeFactory.instance.objectNode().put("$type", "blob").put("mimeType", "image/jpeg").put("size", 4096);
        blob.putObject("ref").put("$link", Events.cid(seed));
        return blob;
    }
}
