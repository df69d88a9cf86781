package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.syntax.Cid;

/** A blob reference ({@code {"$type": "blob", "ref": {"$link": cid}, "mimeType", "size"}}). */
public record Blob(Cid ref, String mimeType, long size) {

    public static Blob fromJson(JsonNode json) {
        return read(json, "$");
    }

    static Blob read(JsonNode json, String path) {
        Fields f = Fields.of(json, path);
        if (!"blob".equals(f.optionalString("$type"))) {
            throw new RecordParseException(f.path("$type"), "a blob must have $type \"blob\"");
        }
        Cid ref = f.object("ref", (link, linkPath) -> Fields.of(link, linkPath).parsed("$link", Cid::parse));
        Long size = f.optionalLong("size");
        if (size == null || size < 0) {
            throw new RecordParseException(f.path("size"), "a blob needs a non-negative size");
        }
        return new Blob(ref, f.string("mimeType"), size);
    }
}
