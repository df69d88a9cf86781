package social.coves.ingestor.export;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;

/**
 * The commit's record as it was written, cut out of the Kafka value while the envelope is decoded: serialising the
 * parsed record again for {@code record_json} was half of all parsing time (measured). Registered for
 * {@code JsonNode} on the export's own copy of the envelope mapper; the only {@code JsonNode} in an envelope is
 * {@code commit.record}.
 */
final class RecordText extends StdDeserializer<JsonNode> {

    @SuppressWarnings("unchecked")
    private static final StdDeserializer<JsonNode> TREES = (StdDeserializer<JsonNode>)
            (StdDeserializer<?>) com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer.getDeserializer(JsonNode.class);

    RecordText() {
        super(JsonNode.class);
    }

    static SimpleModule module() {
        return new SimpleModule("coves-export-record-text").addDeserializer(JsonNode.class, new RecordText());
    }

    @Override
    public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        JsonNode node = TREES.deserialize(p, ctxt);
        long end = p.currentLocation().getByteOffset();
        ValueInProgress decoding = ValueInProgress.current();
        if (decoding != null && start >= 0 && end > start && end <= decoding.value.length) {
            decoding.recordText = new String(decoding.value, (int) start, (int) (end - start), java.nio.charset.StandardCharsets.UTF_8);
        }
        return node;
    }

    @Override
    public JsonNode getNullValue(DeserializationContext ctxt) {
        return com.fasterxml.jackson.databind.node.NullNode.getInstance();   // as Jackson's own tree deserializer does
    }
}
