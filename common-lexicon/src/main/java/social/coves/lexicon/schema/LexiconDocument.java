package social.coves.lexicon.schema;

import java.util.Map;
import java.util.Optional;

/** A parsed lexicon document: its NSID and its compiled definitions by name ({@code main}, {@code replyRef}, ...). */
public record LexiconDocument(String id, String description, Map<String, SchemaDef> defs) {

    public LexiconDocument {
        defs = Map.copyOf(defs);
    }

    public Optional<SchemaDef> def(String name) {
        return Optional.ofNullable(defs.get(name));
    }

    /** The record definition in {@code main}, if this document defines a record collection. */
    public Optional<SchemaDef.RecordSchema> recordSchema() {
        return defs.get("main") instanceof SchemaDef.RecordSchema record ? Optional.of(record) : Optional.empty();
    }
}
