package social.coves.ingestor.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Validates a record of a commit before it reaches Kafka. Returns the list of problems, empty when valid.
 * The record's {@code $type} must name its collection.
 */
@ApplicationScoped
public class JetstreamRecordValidator implements BiFunction<String, JsonNode, List<String>> {

    @Override
    public List<String> apply(String collection, JsonNode record) {
        JsonNode type = record.get("$type");
        if (type == null || !type.isTextual()) {
            return List.of("$.$type: required");
        }
        if (!type.asText().equals(collection)) {
            return List.of("$.$type: " + type.asText() + " does not match collection " + collection);
        }
        return List.of();
    }
}
