package social.coves.lexicon.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.fixtures.SharedFixtures;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XrpcDefParserTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static SchemaDef main(String mainDef) throws Exception {
        return LexiconParser.parse(MAPPER.readTree("{\"lexicon\": 1, \"id\": \"com.example.method\", \"defs\": {\"main\": "
                + mainDef + ", \"view\": {\"type\": \"object\", \"properties\": {}}}}")).def("main").orElseThrow();
    }

    @Test
    void queryKeepsParametersOutputAndErrors() throws Exception {
        SchemaDef def = main("""
                {"type": "query",
                 "parameters": {"type": "params", "required": ["uri"], "properties": {
                   "uri": {"type": "string", "format": "at-uri"},
                   "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
                   "tags": {"type": "array", "items": {"type": "string"}, "maxLength": 3}}},
                 "output": {"encoding": "application/json", "schema": {"type": "ref", "ref": "#view"}},
                 "errors": [{"name": "NotFound", "description": "gone"}, {"name": "Blocked"}]}""");

        SchemaDef.QuerySchema query = (SchemaDef.QuerySchema) def;
        assertThat(query.parameters().properties()).containsOnlyKeys("uri", "limit", "tags");
        assertThat(query.parameters().properties().get("limit"))
                .isEqualTo(new SchemaDef.IntegerSchema(1L, 100L, List.of(), null));
        assertThat(query.parameters().required()).containsExactly("uri");
        assertThat(query.output()).isEqualTo(new SchemaDef.XrpcBody("application/json",
                new SchemaDef.RefSchema("com.example.method#view")));
        assertThat(query.errors()).containsExactly("NotFound", "Blocked");
    }

    @Test
    void procedureKeepsInputAndMayOmitEverythingElse() throws Exception {
        SchemaDef.ProcedureSchema procedure = (SchemaDef.ProcedureSchema) main("""
                {"type": "procedure", "input": {"encoding": "image/*"}}""");

        assertThat(procedure.input()).isEqualTo(new SchemaDef.XrpcBody("image/*", null));
        assertThat(procedure.output()).isNull();
        assertThat(procedure.parameters()).isEqualTo(SchemaDef.ParamsSchema.NONE);
        assertThat(procedure.errors()).isEmpty();
    }

    @Test
    void subscriptionsStayEndpoints() throws Exception {
        assertThat(main("{\"type\": \"subscription\", \"message\": {\"schema\": {\"type\": \"union\", \"refs\": [\"#view\"]}}}"))
                .isEqualTo(new SchemaDef.EndpointSchema("subscription"));
    }

    @Test
    void rejectsMalformedMethods() {
        List<String> broken = List.of(
                "{\"type\": \"query\", \"parameters\": {\"type\": \"object\", \"properties\": {}}}",
                "{\"type\": \"query\", \"parameters\": {\"type\": \"params\", \"properties\": {\"o\": {\"type\": \"object\"}}}}",
                "{\"type\": \"query\", \"parameters\": {\"type\": \"params\", \"properties\": {\"a\": {\"type\": \"array\", \"items\": {\"type\": \"ref\", \"ref\": \"#view\"}}}}}",
                "{\"type\": \"query\", \"parameters\": {\"type\": \"params\", \"required\": [\"x\"], \"properties\": {}}}",
                "{\"type\": \"query\", \"output\": {\"schema\": {\"type\": \"object\"}}}",
                "{\"type\": \"query\", \"output\": {\"encoding\": \"application/json\", \"schema\": {\"type\": \"string\"}}}",
                "{\"type\": \"procedure\", \"input\": {\"encoding\": \"application/json\", \"schema\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}}}",
                "{\"type\": \"query\", \"errors\": [{\"description\": \"no name\"}]}",
                "{\"type\": \"query\", \"errors\": [{\"name\": \"Not Found\"}]}",
                "{\"type\": \"query\", \"errors\": {\"name\": \"NotFound\"}}");
        for (String def : broken) {
            assertThatThrownBy(() -> main(def)).as(def).isInstanceOf(InvalidLexiconException.class)
                    .hasMessageStartingWith("com.example.method#main: ");
        }
    }

    @Test
    void interopQueryAndProcedureCompile() {
        LexiconCatalog catalog = new LexiconCatalog().addDirectory(SharedFixtures.resolve("atproto-interop/lexicon/catalog"));

        SchemaDef.XrpcSchema query = catalog.xrpcMethod("example.lexicon.query").orElseThrow();
        assertThat(query.parameters().properties()).containsOnlyKeys("boolean", "integer", "stringField", "handle", "array");
        assertThat(query.parameters().required()).containsExactly("stringField");
        assertThat(query.errors()).isEqualTo(Set.of("DemoError", "AnotherDemoError"));
        SchemaDef.ProcedureSchema procedure = (SchemaDef.ProcedureSchema) catalog.xrpcMethod("example.lexicon.procedure").orElseThrow();
        assertThat(procedure.input().schema()).isInstanceOf(SchemaDef.ObjectSchema.class);
        assertThat(catalog.xrpcMethod("example.lexicon.subscription")).isEmpty();
        assertThat(catalog.xrpcMethod("example.lexicon.record")).isEmpty();
    }
}
