package social.coves.lexicon.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueValidatorTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FAMILY = "👩‍👩‍👦‍👦";
    private static LexiconCatalog catalog;

    @BeforeAll
    static void catalog() throws Exception {
        catalog = new LexiconCatalog();
        catalog.add(MAPPER.readTree("""
                {"lexicon": 1, "id": "com.example.thing", "defs": {
                  "main": {"type": "record", "key": "tid", "record": {"type": "object", "required": ["title"],
                    "properties": {
                      "title": {"type": "string", "maxGraphemes": 3, "maxLength": 100},
                      "short": {"type": "string", "maxLength": 4},
                      "items": {"type": "array", "maxLength": 2, "items": {"type": "ref", "ref": "#item"}},
                      "kind": {"type": "ref", "ref": "#fancy"},
                      "embed": {"type": "union", "refs": ["com.example.other", "#item"]}
                    }}},
                  "item": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer", "minimum": 1}}},
                  "fancy": {"type": "token"}
                }}"""));
        catalog.add(MAPPER.readTree("""
                {"lexicon": 1, "id": "com.example.other", "defs": {
                  "main": {"type": "object", "properties": {"s": {"type": "string", "format": "handle"}}}}}"""));
    }

    private static List<String> errors(String json) throws Exception {
        return catalog.validateRecord("com.example.thing", MAPPER.readTree(json)).stream().map(ValidationError::toString).toList();
    }

    @Test
    void graphemesCountZwjSequencesAndFlagsAsOne() {
        assertThat(Graphemes.count(FAMILY)).isEqualTo(1);
        assertThat(Graphemes.count("🇩🇪🏳️‍🌈e\u0301")).isEqualTo(3);
        assertThat(Graphemes.count("a\r\nb")).isEqualTo(3);
        assertThat(Graphemes.utf8Length(FAMILY)).isEqualTo(FAMILY.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void graphemeAndByteLimitsAreSeparateRules() throws Exception {
        assertThat(errors("{\"$type\": \"com.example.thing\", \"title\": \"" + FAMILY.repeat(3) + "\"}")).isEmpty();
        assertThat(errors("{\"$type\": \"com.example.thing\", \"title\": \"" + FAMILY.repeat(4) + "\"}"))
                .containsExactly("$.title: longer than 3 graphemes");
        assertThat(errors("{\"$type\": \"com.example.thing\", \"title\": \"abc\", \"short\": \"ééé\"}"))
                .containsExactly("$.short: longer than 4 bytes (UTF-8)");
    }

    @Test
    void errorsNameNestedPathsAndAllAreReported() throws Exception {
        assertThat(errors("""
                {"$type": "com.example.thing", "items": [{"n": 1}, {"n": 0}, {}],
                 "embed": {"$type": "com.example.other", "s": "not a handle"}}"""))
                .containsExactly(
                        "$.title: required field missing",
                        "$.items: more than 2 items",
                        "$.items[1].n: less than minimum 1",
                        "$.items[2].n: required field missing",
                        "$.embed.s: not a valid handle");
    }

    @Test
    void unionsMatchLocalAndMainRefsAndLeaveUnknownTypesOpen() throws Exception {
        assertThat(errors("{\"$type\": \"com.example.thing\", \"title\": \"a\", \"embed\": {\"$type\": \"com.example.thing#item\", \"n\": 2}}")).isEmpty();
        assertThat(errors("{\"$type\": \"com.example.thing\", \"title\": \"a\", \"embed\": {\"$type\": \"com.example.other#main\"}}")).isEmpty();
        assertThat(errors("{\"$type\": \"com.example.thing\", \"title\": \"a\", \"embed\": {\"$type\": \"org.elsewhere.thing\", \"x\": 1}}")).isEmpty();
        assertThat(errors("{\"$type\": \"com.example.thing\", \"title\": \"a\", \"embed\": {\"n\": 2}}"))
                .containsExactly("$.embed: union member must have a string $type");
    }

    @Test
    void tokensAreMatchedByTheirFullName() throws Exception {
        assertThat(errors("{\"$type\": \"com.example.thing\", \"title\": \"a\", \"kind\": \"com.example.thing#fancy\"}")).isEmpty();
        assertThat(errors("{\"$type\": \"com.example.thing\", \"title\": \"a\", \"kind\": \"fancy\"}"))
                .containsExactly("$.kind: expected token com.example.thing#fancy");
    }

    @Test
    void recordTypeAndKeyAreChecked() throws Exception {
        assertThat(errors("{\"$type\": \"com.example.other\", \"title\": \"a\"}"))
                .containsExactly("$.$type: must be com.example.thing, got com.example.other");
        JsonNode ok = MAPPER.readTree("{\"$type\": \"com.example.thing\", \"title\": \"a\"}");
        assertThat(catalog.validateRecord("com.example.thing", "3kznmn7xqxl22", ok)).isEmpty();
        assertThat(catalog.validateRecord("com.example.thing", "self", ok)).extracting(ValidationError::toString)
                .containsExactly("rkey: record key must be a TID");
        assertThat(catalog.validateRecord("com.example.missing", ok)).extracting(ValidationError::toString)
                .containsExactly("$: no record lexicon for collection com.example.missing");
    }

    @Test
    void malformedDocumentsAreRejectedWithTheDefinitionNamed() {
        assertThatThrownBy(() -> new LexiconCatalog().add(MAPPER.readTree("""
                {"lexicon": 1, "id": "com.example.bad", "defs": {"main": {"type": "object",
                  "properties": {"x": {"type": "string", "format": "colour"}}}}}""")))
                .isInstanceOf(InvalidLexiconException.class).hasMessageContaining("com.example.bad#main").hasMessageContaining("colour");
        assertThatThrownBy(() -> catalog.add(MAPPER.readTree("{\"lexicon\": 1, \"id\": \"com.example.other\", \"defs\": {}}")))
                .isInstanceOf(InvalidLexiconException.class).hasMessageContaining("duplicate");
    }
}
