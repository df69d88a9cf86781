package social.coves.api.feeds;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import social.coves.api.posts.PostView;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FeedPageTests {

    final ObjectMapper json = new ObjectMapper();

    @Test
    void aRenderedItemIsTheSameJsonAsTheItemWrittenFieldByField() throws Exception {
        var record = json.createObjectNode().put("$type", "social.coves.community.post").put("title", "Ünïcode “quotes” \\ and \"escapes\"");
        record.putArray("langs").add("en");
        PostView view = new PostView("at://did:plc:a/social.coves.community.post/p1", "bafy1", "p1",
                new PostView.Author("did:plc:a", "alice.test", null), new PostView.CommunityRef("did:plc:c", "c.test", "c", null),
                record, null, new PostView.Stats(3, 1, 2, 7), null, "2026-12-02T10:00:00.000Z", "2026-12-02T10:00:01.000Z");
        String plain = json.writeValueAsString(new FeedPage(List.of(new FeedPage.Item(view)), "next"));
        String rendered = json.writeValueAsString(new FeedPage(List.of(new FeedPage.Item(view,
                new SerializedString(json.writeValueAsString(view)))), "next"));
        assertThat(rendered).isEqualTo(plain).startsWith("{\"feed\":[{\"post\":{\"uri\":\"at://did:plc:a/social.coves.community.post/p1\"")
                .contains("\"stats\":{\"upvotes\":3,\"downvotes\":1,\"score\":2,\"commentCount\":7}").doesNotContain("rendered");
    }
}
