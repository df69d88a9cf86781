package social.coves.lexicon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.fixtures.SharedFixtures;
import social.coves.lexicon.schema.LexiconCatalog;
import social.coves.lexicon.schema.LexiconDocument;
import social.coves.lexicon.schema.SchemaDef;
import social.coves.lexicon.schema.ValidationError;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The published Coves lexicons (shared fixtures, read in place) as XRPC methods: their outputs, inputs and parameters. */
class CovesXrpcLexiconTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GET_COMMENTS = "social.coves.community.comment.getComments";
    private static final String DEFS = "social.coves.community.comment.defs";
    private static final String POST_GET = "social.coves.community.post.get";
    private static final String ALICE = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    private static final String CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
    private static final String POST_URI = "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/social.coves.community.post/3kznmn7xqxl22";
    private static final String COMMENT_URI = "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/social.coves.community.comment/3kznmn7xqxl23";

    /**
     * References in the published documents that point at definitions no document has: the embed view types in the
     * {@code embed} unions of comment and post views. They are open unions, but a listed type must still resolve, so
     * a view carrying one of these embeds cannot validate until the lexicons define them.
     */
    private static final List<String> KNOWN_UNRESOLVED = List.of(
            DEFS + "#commentView.embed -> social.coves.embed.images#view",
            DEFS + "#commentView.embed -> social.coves.embed.post#view",
            POST_GET + "#postView.embed -> social.coves.embed.external#view",
            POST_GET + "#postView.embed -> social.coves.embed.images#view",
            POST_GET + "#postView.embed -> social.coves.embed.record#view",
            POST_GET + "#postView.embed -> social.coves.embed.recordWithMedia#view",
            POST_GET + "#postView.embed -> social.coves.embed.video#view");

    private static LexiconCatalog published;

    @BeforeAll
    static void load() {
        published = new LexiconCatalog().addDirectory(SharedFixtures.resolve("coves-lexicons"));
    }

    @Test
    void everyQueryAndProcedureParsesAndResolves() {
        List<LexiconDocument> methods = published.documents().stream()
                .filter(d -> published.xrpcMethod(d.id()).isPresent()).toList();
        assertThat(methods).filteredOn(d -> d.def("main").orElseThrow() instanceof SchemaDef.QuerySchema).hasSize(21);
        assertThat(methods).filteredOn(d -> d.def("main").orElseThrow() instanceof SchemaDef.ProcedureSchema).hasSize(22);
        assertThat(published.unresolvedReferences()).filteredOn(r -> r.contains("#main.")).isEmpty();
        assertThat(published.unresolvedReferences()).containsExactlyInAnyOrderElementsOf(KNOWN_UNRESOLVED);
        assertThat(published.xrpcMethod(GET_COMMENTS).orElseThrow().output().encoding()).isEqualTo("application/json");
    }

    @Test
    void aCompleteCommentThreadIsValid() throws IOException {
        assertThat(outputErrors(commentsPage())).isEmpty();
    }

    @Test
    void aReplyWithoutTypeIsReported() throws IOException {
        ObjectNode page = commentsPage();
        ((ObjectNode) replies(page).get(0)).remove("$type");

        assertThat(outputErrors(page)).containsExactly("$.comments[0].replies[0]: union member must have a string $type");
    }

    @Test
    void theDeletedCommentPlaceholderOfIssue20IsReported() throws IOException {
        ObjectNode page = commentsPage();
        ObjectNode comment = (ObjectNode) page.at("/comments/0/comment");
        comment.remove("cid");
        comment.putNull("record");
        ((ObjectNode) comment.get("author")).put("handle", "");

        assertThat(outputErrors(page)).containsExactlyInAnyOrder(
                "$.comments[0].comment.cid: required field missing",
                "$.comments[0].comment.record: must not be null",
                "$.comments[0].comment.author.handle: not a valid handle");
    }

    @Test
    void unknownMustBeAnObject() throws IOException {
        ObjectNode page = commentsPage();
        ((ObjectNode) page.at("/comments/0/comment")).put("record", "deleted");

        assertThat(outputErrors(page)).containsExactly("$.comments[0].comment.record: unknown-type field must be an object, got a string");
    }

    @Test
    void relativeImageUrlsAreNotUris() throws IOException {
        ObjectNode page = commentsPage();
        ((ObjectNode) page.at("/post/community")).put("avatar", "/img/avatar_small/plain/did:plc:x/bafy@webp");
        ((ObjectNode) page.at("/comments/0/comment/author")).put("avatar", "img/a.png");

        assertThat(outputErrors(page)).containsExactly(
                "$.comments[0].comment.author.avatar: not a valid uri",
                "$.post.community.avatar: not a valid uri");
    }

    @Test
    void notFoundPostsInPostGetNeedTheirType() throws IOException {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode posts = body.putArray("posts");
        posts.add(postView());
        posts.addObject().put("$type", POST_GET + "#notFoundPost").put("uri", POST_URI).put("notFound", true);
        assertThat(published.validateQueryOutput(POST_GET, body)).isEmpty();

        posts.addObject().put("uri", POST_URI).put("notFound", true);
        posts.addObject().put("$type", POST_GET + "#notFoundPost").put("uri", POST_URI).put("notFound", false);
        assertThat(published.validateQueryOutput(POST_GET, body)).extracting(ValidationError::toString).containsExactly(
                "$.posts[2]: union member must have a string $type",
                "$.posts[3].notFound: must be true");
    }

    @Test
    void getCommentsParameters() {
        assertThat(paramErrors(Map.of("post", List.of(POST_URI), "sort", List.of("top"), "timeframe", List.of("week"),
                "depth", List.of("0"), "limit", List.of("100"), "cursor", List.of("abc")))).isEmpty();
        assertThat(paramErrors(Map.of("post", List.of(POST_URI), "sort", List.of("best"), "timeframe", List.of("decade"))))
                .as("sort and timeframe have knownValues, which do not restrict").isEmpty();
        assertThat(paramErrors(Map.of("post", List.of(POST_URI), "limit", List.of("ten"), "depth", List.of("101"))))
                .containsExactly("$.depth: greater than maximum 100", "$.limit: expected an integer, got \"ten\"");
        assertThat(paramErrors(Map.of("sort", List.of("new")))).containsExactly("$.post: required parameter missing");
        assertThat(paramErrors(Map.of("post", List.of("https://example.com/p/1")))).containsExactly("$.post: not a valid at-uri");
    }

    @Test
    void postGetUrisIsAnArrayParameter() {
        assertThat(published.validateQueryParameters(POST_GET, Map.of("uris", List.of(POST_URI, COMMENT_URI)))).isEmpty();
        assertThat(published.validateQueryParameters(POST_GET, Map.of("uris", List.of(POST_URI, "nope"))))
                .extracting(ValidationError::toString).containsExactly("$.uris[1]: not a valid at-uri");
        assertThat(published.validateQueryParameters(POST_GET, Map.of("uris", java.util.Collections.nCopies(26, POST_URI))))
                .extracting(ValidationError::toString).containsExactly("$.uris: more than 25 items");
    }

    @Test
    void declaredErrors() {
        assertThat(published.declaredErrors(GET_COMMENTS)).containsExactly("NotFound", "InvalidRequest");
        assertThat(published.declaredErrors(POST_GET)).containsExactly("InvalidRequest");
        assertThat(published.declaredErrors("social.coves.community.get")).isEmpty();
        assertThat(published.declaredErrors("social.coves.community.comment.create"))
                .containsExactly("InvalidReply", "ContentTooLong", "ContentEmpty", "NotAuthorized");
    }

    @Test
    void commentCreateInputAndOutput() throws IOException {
        String create = "social.coves.community.comment.create";
        ObjectNode input = (ObjectNode) MAPPER.readTree("""
                {"reply": {"root": {"uri": "%s", "cid": "%s"}, "parent": {"uri": "%s", "cid": "%s"}},
                 "content": "hello", "langs": ["en"]}""".formatted(POST_URI, CID, POST_URI, CID));
        assertThat(published.validateProcedureInput(create, input)).isEmpty();
        assertThat(published.validateProcedureOutput(create, MAPPER.createObjectNode().put("uri", COMMENT_URI).put("cid", CID))).isEmpty();

        ((ObjectNode) input.get("reply")).remove("parent");
        input.putArray("langs").add("en").add("fr").add("de").add("es");
        assertThat(published.validateProcedureInput(create, input)).extracting(ValidationError::toString)
                .containsExactly("$.reply.parent: required field missing", "$.langs: more than 3 items");
        assertThat(published.validateQueryOutput(create, input)).extracting(ValidationError::toString)
                .containsExactly("$: " + create + " is a procedure, not a query");
    }

    private static List<String> outputErrors(JsonNode body) {
        return published.validateQueryOutput(GET_COMMENTS, body).stream().map(ValidationError::toString).sorted().toList();
    }

    private static List<String> paramErrors(Map<String, List<String>> params) {
        return published.validateQueryParameters(GET_COMMENTS, params).stream().map(ValidationError::toString).sorted().toList();
    }

    private static ArrayNode replies(ObjectNode page) {
        return (ArrayNode) page.at("/comments/0/replies");
    }

    /** A getComments page: one top-level comment with a reply and a not-found reply, and the post. */
    private static ObjectNode commentsPage() throws IOException {
        ObjectNode page = MAPPER.createObjectNode();
        ObjectNode thread = page.putArray("comments").addObject();
        thread.set("comment", commentView(COMMENT_URI));
        thread.put("hasMore", false);
        ArrayNode replies = thread.putArray("replies");
        ObjectNode reply = replies.addObject().put("$type", DEFS + "#threadViewComment");
        ObjectNode replyView = commentView(COMMENT_URI.replace("xl23", "xl24"));
        replyView.putObject("parent").put("uri", COMMENT_URI).put("cid", CID);
        reply.set("comment", replyView);
        reply.putArray("replies");
        replies.addObject().put("$type", DEFS + "#notFoundComment").put("uri", COMMENT_URI.replace("xl23", "xl25")).put("notFound", true);
        page.set("post", postView());
        page.put("cursor", "MjAyNS0wMS0xNQ");
        return page;
    }

    private static ObjectNode commentView(String uri) throws IOException {
        return (ObjectNode) MAPPER.readTree("""
                {"uri": "%s", "cid": "%s",
                 "author": {"did": "%s", "handle": "alice.example.com", "displayName": "Alice",
                            "avatar": "https://coves.example/img/avatar_small/plain/%s/%s@webp"},
                 "record": {"$type": "social.coves.community.comment", "content": "nice 🌱", "createdAt": "2025-01-15T12:00:00.000Z"},
                 "post": {"uri": "%s", "cid": "%s"},
                 "createdAt": "2025-01-15T12:00:00.000Z", "indexedAt": "2025-01-15T12:00:01.123Z",
                 "stats": {"upvotes": 3, "downvotes": 1, "score": 2, "replyCount": 1},
                 "viewer": {"vote": "up", "voteUri": "at://%s/social.coves.feed.vote/3kznmn7xqxl26"}}"""
                .formatted(uri, CID, ALICE, ALICE, CID, POST_URI, CID, ALICE));
    }

    private static ObjectNode postView() throws IOException {
        return (ObjectNode) MAPPER.readTree("""
                {"$type": "%s#postView", "uri": "%s", "cid": "%s",
                 "author": {"did": "%s", "handle": "alice.example.com"},
                 "record": {"$type": "social.coves.community.post", "title": "Hello"},
                 "community": {"did": "did:plc:abcdefghijklmnopqrstuvwx", "name": "gardening", "handle": "gardening.coves.example",
                               "avatar": "http://localhost:8080/img/avatar/plain/did:plc:abcdefghijklmnopqrstuvwx/%s@jpeg"},
                 "createdAt": "2025-01-15T11:00:00Z", "indexedAt": "2025-01-15T11:00:02Z",
                 "stats": {"upvotes": 10, "downvotes": 2, "score": 8, "commentCount": 3}}"""
                .formatted(POST_GET, POST_URI, CID, ALICE, CID));
    }
}
