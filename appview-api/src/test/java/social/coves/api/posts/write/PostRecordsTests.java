package social.coves.api.posts.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import social.coves.api.communities.rules.ContentRules;
import social.coves.api.xrpc.XrpcException;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code post.create} accepts, judged by the lexicon (graphemes, not bytes) and the instance's rules. */
class PostRecordsTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMUNITY = "did:plc:communityaaaaaaaaaaaaaaa";
    private static final String AUTHOR = "did:plc:authoraaaaaaaaaaaaaaaaaa";
    private final PostRecords posts = new PostRecords(JSON, Set.of("nsfw", "spoiler", "violence"));

    @Test
    void buildsTheRecordWithTheCallerAsAuthor() throws Exception {
        ObjectNode record = posts.build(JSON.readTree("{\"community\":\"x\",\"title\":\"Hello\",\"content\":\"World\","
                + "\"langs\":[\"en\"],\"labels\":{\"values\":[{\"val\":\"spoiler\"}]}}"), COMMUNITY, AUTHOR);
        assertThat(record.path("$type").asText()).isEqualTo("social.coves.community.post");
        assertThat(record.path("author").asText()).isEqualTo(AUTHOR);
        assertThat(record.path("community").asText()).isEqualTo(COMMUNITY);
        assertThat(record.path("createdAt").asText()).endsWith("Z");
    }

    @Test
    void titleLimitIsGraphemesNotBytes() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // one grapheme, 18 UTF-8 bytes
        ObjectNode ok = JSON.createObjectNode().put("title", family.repeat(150));
        assertThat(posts.build(ok, COMMUNITY, AUTHOR).path("title").asText()).hasSize(family.length() * 150);
        ObjectNode tooLong = JSON.createObjectNode().put("title", "a".repeat(301));
        assertThatThrownBy(() -> posts.build(tooLong, COMMUNITY, AUTHOR)).isInstanceOf(XrpcException.class)
                .hasMessageContaining("title").hasMessageContaining("300 graphemes");
        ObjectNode content = JSON.createObjectNode().put("content", "é".repeat(10_001));
        assertThatThrownBy(() -> posts.build(content, COMMUNITY, AUTHOR)).hasMessageContaining("content");
    }

    @Test
    void langsLabelsAndEmbedsFollowTheLexiconAndTheInstance() throws Exception {
        assertThatThrownBy(() -> posts.build(JSON.readTree("{\"title\":\"t\",\"langs\":[\"en\",\"fr\",\"de\",\"es\"]}"), COMMUNITY, AUTHOR))
                .hasMessageContaining("langs");
        assertThatThrownBy(() -> posts.build(JSON.readTree("{\"title\":\"t\",\"labels\":{\"values\":[{\"val\":\"porn\"}]}}"), COMMUNITY, AUTHOR))
                .hasMessageContaining("labels.values[0].val");
        assertThatThrownBy(() -> posts.build(JSON.readTree("{\"title\":\"t\",\"embed\":{\"$type\":\"app.bsky.embed.images\"}}"), COMMUNITY, AUTHOR))
                .hasMessageContaining("embed.$type");
        assertThatThrownBy(() -> posts.build(JSON.readTree("{\"title\":\"t\",\"embed\":{\"$type\":\"social.coves.embed.external\",\"external\":{}}}"), COMMUNITY, AUTHOR))
                .hasMessageContaining("uri");
        assertThatThrownBy(() -> posts.build(JSON.readTree("{\"langs\":[\"en\"]}"), COMMUNITY, AUTHOR))
                .hasMessageContaining("a title, content or an embed");
    }

    @Test
    void contentRulesRefuseWhatACommunityDoesNotTake() throws Exception {
        ContentRules textOnly = ContentRules.from(JSON.readTree("{\"postTypes\":{\"allowImage\":false,\"allowVideo\":false,"
                + "\"allowArticle\":false,\"allowMicroblog\":false}}"));
        ObjectNode link = (ObjectNode) JSON.readTree("{\"$type\":\"social.coves.embed.external\",\"external\":{\"uri\":\"https://news.example.com/a\"}}");
        assertThat(textOnly.violation(null, null)).isEmpty();
        assertThat(textOnly.violation("social.coves.embed.external", link)).get().asString().contains("link");
        ContentRules domains = ContentRules.from(JSON.readTree("{\"contentRestrictions\":{\"blockedDomains\":[\"example.com\"]}}"));
        assertThat(domains.violation("social.coves.embed.external", link)).get().asString().contains("news.example.com");
        ContentRules only = ContentRules.from(JSON.readTree("{\"contentRestrictions\":{\"allowedDomains\":[\"coves.social\"]}}"));
        assertThat(only.violation("social.coves.embed.external", link)).isPresent();
        assertThat(ContentRules.NONE.violation("social.coves.embed.external", link)).isEmpty();
        assertThat(ContentRules.from(textOnly.toRecord(JSON))).isEqualTo(textOnly);
    }
}
