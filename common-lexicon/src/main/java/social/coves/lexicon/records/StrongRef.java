package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.lexicon.syntax.AtUri;
import social.coves.lexicon.syntax.Cid;

import java.util.Objects;

/** {@code com.atproto.repo.strongRef}: one version of one record. The URI must name a record (collection and key). */
public record StrongRef(AtUri uri, Cid cid) {

    public StrongRef {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(cid, "cid");
        if (!uri.isRecord()) {
            throw new IllegalArgumentException("strong ref URI must name a record: " + uri);
        }
    }

    public static StrongRef of(String uri, String cid) {
        return new StrongRef(AtUri.parse(uri), Cid.parse(cid));
    }

    public static StrongRef fromJson(JsonNode json) {
        return read(json, "$");
    }

    static StrongRef read(JsonNode json, String path) {
        Fields f = Fields.of(json, path);
        AtUri uri = f.parsed("uri", AtUri::parse);
        if (!uri.isRecord()) {
            throw new RecordParseException(f.path("uri"), "must name a record (at://did/collection/rkey), got " + uri);
        }
        return new StrongRef(uri, f.parsed("cid", Cid::parse));
    }

    /** The collection of the referenced record, e.g. {@code social.coves.community.post}. */
    public String collection() {
        return uri.collection();
    }

    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("uri", uri.toString()).put("cid", cid.value());
    }
}
