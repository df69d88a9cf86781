package social.coves.ingestor.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.lexicon.CovesLexicons;
import social.coves.lexicon.schema.ValidationError;

import java.util.List;

/**
 * Validates the record of a commit against the Coves lexicons before it reaches Kafka: {@code $type} must name the
 * collection, the record key must fit the lexicon's key type, the record must satisfy the schema, and a record that
 * names the repo holding it (an aggregator's service record its {@code did}, an authorization its
 * {@code communityDid}) must name the repo it came from ({@code CovesLexicons.repoMismatch}). Returns the problems,
 * empty when valid. Collections without a Coves lexicon are reported too, so they land in the rejects topic with a
 * reason instead of in the projections' input.
 */
@ApplicationScoped
public class JetstreamRecordValidator {

    private final CovesLexicons lexicons = CovesLexicons.get();

    public List<String> validate(String repoDid, String collection, String rkey, JsonNode record) {
        JsonNode type = record.get("$type");
        if (type == null || !type.isTextual()) {
            return List.of("$.$type: required");
        }
        if (!type.asText().equals(collection)) {
            return List.of("$.$type: " + type.asText() + " does not match collection " + collection);
        }
        return lexicons.validateRecord(repoDid, collection, rkey, record).stream().map(ValidationError::toString).toList();
    }
}
