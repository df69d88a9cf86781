package social.coves.lexicon.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parameter reading and body rules on small made-up methods; the Coves lexicons are exercised elsewhere. */
class XrpcValidatorTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static LexiconCatalog catalog;

    @BeforeAll
    static void catalog() throws Exception {
        catalog = new LexiconCatalog();
        catalog.add(MAPPER.readTree("""
                {"lexicon": 1, "id": "com.example.list", "defs": {
                  "main": {"type": "query",
                    "parameters": {"type": "params", "required": ["actor"], "properties": {
                      "actor": {"type": "string", "format": "at-identifier"},
                      "limit": {"type": "integer", "minimum": 1, "maximum": 100},
                      "sort": {"type": "string", "knownValues": ["hot", "new"]},
                      "kind": {"type": "string", "enum": ["post", "comment"]},
                      "reverse": {"type": "boolean"},
                      "extra": {"type": "unknown"},
                      "ids": {"type": "array", "maxLength": 2, "items": {"type": "integer", "minimum": 0}}}},
                    "output": {"encoding": "application/json", "schema": {"type": "union", "refs": ["#page", "#empty"]}},
                    "errors": [{"name": "NotFound"}]},
                  "page": {"type": "object", "required": ["items"], "nullable": ["cursor"], "properties": {
                    "items": {"type": "array", "items": {"type": "string", "format": "uri"}},
                    "cursor": {"type": "string"}}},
                  "empty": {"type": "object", "properties": {}}}}"""));
        catalog.add(MAPPER.readTree("""
                {"lexicon": 1, "id": "com.example.send", "defs": {
                  "main": {"type": "procedure",
                    "input": {"encoding": "application/json", "schema": {"type": "object", "required": ["text"],
                      "properties": {"text": {"type": "string", "maxLength": 5}}}}}}}"""));
        catalog.add(MAPPER.readTree("""
                {"lexicon": 1, "id": "com.example.upload", "defs": {
                  "main": {"type": "procedure", "input": {"encoding": "*/*"},
                    "output": {"encoding": "application/json"}}}}"""));
    }

    private static List<String> params(String... nameValuePairs) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            params.computeIfAbsent(nameValuePairs[i], k -> new java.util.ArrayList<>()).add(nameValuePairs[i + 1]);
        }
        return catalog.validateQueryParameters("com.example.list", params).stream().map(ValidationError::toString).toList();
    }

    private static List<String> output(String nsid, JsonNode body) {
        return catalog.validateQueryOutput(nsid, body).stream().map(ValidationError::toString).toList();
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void parametersAreReadAsTheirDeclaredType() {
        assertThat(params("actor", "alice.example.com", "limit", "100", "reverse", "false", "ids", "0", "ids", "7")).isEmpty();
        assertThat(params("actor", "alice.example.com", "limit", "ten", "reverse", "yes"))
                .containsExactly("$.limit: expected an integer, got \"ten\"", "$.reverse: expected true or false, got \"yes\"");
        assertThat(params("actor", "alice.example.com", "limit", "0", "ids", "-1"))
                .containsExactly("$.limit: less than minimum 1", "$.ids[0]: less than minimum 0");
        assertThat(params("actor", "alice.example.com", "limit", "1.5", "ids", "99999999999999999999"))
                .containsExactly("$.limit: expected an integer, got \"1.5\"", "$.ids[0]: expected an integer, got \"99999999999999999999\"");
    }

    @Test
    void requiredEmptyAndRepeatedParameters() {
        assertThat(params()).containsExactly("$.actor: required parameter missing");
        assertThat(params("actor", "")).as("an empty value is absent, as XRPC servers read it")
                .containsExactly("$.actor: required parameter missing");
        assertThat(params("actor", "bad handle")).containsExactly("$.actor: not a valid at-identifier");
        assertThat(params("actor", "alice.example.com", "limit", "5", "limit", "6"))
                .containsExactly("$.limit: given 2 times, takes one value");
        assertThat(params("actor", "alice.example.com", "ids", "1", "ids", "2", "ids", "3"))
                .containsExactly("$.ids: more than 2 items");
    }

    @Test
    void enumIsEnforcedKnownValuesAndUndeclaredParametersAreNot() {
        assertThat(params("actor", "alice.example.com", "sort", "controversial", "kind", "post", "hl", "en", "extra", "x")).isEmpty();
        assertThat(params("actor", "alice.example.com", "kind", "vote")).containsExactly("$.kind: must be one of [post, comment]");
    }

    @Test
    void unionOutputNeedsItsTypeAndKeepsNullableAndFormatRules() throws Exception {
        assertThat(output("com.example.list", json("""
                {"$type": "com.example.list#page", "items": ["https://example.com/a.png"], "cursor": null}"""))).isEmpty();
        assertThat(output("com.example.list", json("{\"items\": []}")))
                .containsExactly("$: union member must have a string $type");
        assertThat(output("com.example.list", json("""
                {"$type": "com.example.list#page", "items": ["/img/a.png"]}""")))
                .containsExactly("$.items[0]: not a valid uri");
        assertThat(output("com.example.list", json("[]"))).containsExactly("$: output must be a JSON object, got an array");
        assertThat(output("com.example.list", null)).containsExactly("$: output body missing (the method declares one, application/json)");
    }

    @Test
    void bodiesWithoutSchemaOrWithoutDeclaration() throws Exception {
        assertThat(catalog.validateProcedureInput("com.example.upload", json("\"anything\""))).isEmpty();
        assertThat(catalog.validateProcedureOutput("com.example.upload", json("[1, 2]"))).isEmpty();
        assertThat(catalog.validateProcedureOutput("com.example.send", MissingNode.getInstance())).isEmpty();
        assertThat(catalog.validateProcedureOutput("com.example.send", json("{}"))).extracting(ValidationError::toString)
                .containsExactly("$: the method declares no output, but there is a body");
        assertThat(catalog.validateProcedureInput("com.example.send", NullNode.getInstance())).extracting(ValidationError::toString)
                .containsExactly("$: input must be a JSON object, got null");
        assertThat(catalog.validateProcedureInput("com.example.send", json("{\"text\": \"too long\"}"))).extracting(ValidationError::toString)
                .containsExactly("$.text: longer than 5 bytes (UTF-8)");
    }

    @Test
    void anNsidThatIsNotTheRightMethodIsAnErrorNotValid() throws Exception {
        assertThat(output("com.example.missing", json("{}"))).containsExactly("$: no lexicon com.example.missing in the catalog");
        assertThat(output("com.example.send", json("{}"))).containsExactly("$: com.example.send is a procedure, not a query");
        assertThat(catalog.validateProcedureInput("com.example.list", json("{}"))).extracting(ValidationError::toString)
                .containsExactly("$: com.example.list is a query, not a procedure");
        assertThat(catalog.declaredErrors("com.example.list")).containsExactly("NotFound");
        assertThat(catalog.declaredErrors("com.example.send")).isEmpty();
        assertThatThrownBy(() -> catalog.declaredErrors("com.example.missing"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no lexicon com.example.missing in the catalog");
    }
}
