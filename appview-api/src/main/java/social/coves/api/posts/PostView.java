package social.coves.api.posts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** {@code social.coves.community.post.get#postView} (plus {@code rkey}, which Coves clients read). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostView(String uri, String cid, String rkey, Author author, CommunityRef community, JsonNode record,
                       JsonNode embed, Stats stats, Viewer viewer, String createdAt, String indexedAt) {

    /**
     * {@code #authorView}; {@code isAggregator} (beyond the lexicon, {@code true} or absent) marks an author that declared
     * itself an aggregator (a bot) with a {@code social.coves.aggregator.service} record, so clients can badge it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Author(String did, String handle, String displayName, Boolean isAggregator) {
        /** atproto's handle for an account whose handle is unknown or does not verify. */
        public static final String INVALID_HANDLE = "handle.invalid";

        public Author(String did, String handle, String displayName) {
            this(did, handle, displayName, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CommunityRef(String did, String handle, String name, String avatar) {
    }

    public record Stats(long upvotes, long downvotes, long score, long commentCount) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Viewer(String vote, String voteUri) {
    }

    public PostView withViewer(Viewer viewer) {
        return new PostView(uri, cid, rkey, author, community, record, embed, stats, viewer, createdAt, indexedAt);
    }
}
