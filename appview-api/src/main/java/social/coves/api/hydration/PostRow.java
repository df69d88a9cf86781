package social.coves.api.hydration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.api.posts.PostView;

/** A post as its own row has it: everything of a {@link PostView} but the author's and the community's details. */
record PostRow(String uri, String cid, String rkey, String authorDid, String communityDid, ObjectNode record,
                  JsonNode embed, PostView.Stats stats, String createdAt, String indexedAt) {

    PostView view(PostView.Author author, PostView.CommunityRef community) {
        return new PostView(uri, cid, rkey, author, community, record, embed, stats, null, createdAt, indexedAt);
    }
}
