package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.syntax.Datetime;

import java.util.List;

/** {@code social.coves.community.comment} (in the commenter's repo). */
public record CommunityComment(ReplyRef reply, String content, JsonNode facets, JsonNode embed, List<String> langs,
                               List<String> labels, Datetime createdAt) implements CovesRecord {

    /** Where the comment sits in its thread: the root post and the direct parent (post or comment). */
    public record ReplyRef(StrongRef root, StrongRef parent) {

        static ReplyRef read(JsonNode json, String path) {
            Fields f = Fields.of(json, path);
            return new ReplyRef(f.object("root", StrongRef::read), f.object("parent", StrongRef::read));
        }

        /** True when the parent is the root post, i.e. this is a top-level comment. */
        public boolean isTopLevel() {
            return root.uri().equals(parent.uri());
        }
    }

    public static CommunityComment fromJson(JsonNode json) {
        Fields f = Fields.of(json, "$");
        return new CommunityComment(f.object("reply", ReplyRef::read), f.string("content"), f.raw("facets"),
                f.raw("embed"), f.strings("langs"), SelfLabels.read(f, "labels"), f.parsed("createdAt", Datetime::parse));
    }

    @Override
    public String collection() {
        return CovesCollections.COMMUNITY_COMMENT;
    }
}
