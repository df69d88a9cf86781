package social.coves.lexicon.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import social.coves.lexicon.fixtures.SharedFixtures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The atproto interop lexicon fixtures, read in place: lexicon documents and record data against the catalog. */
class LexiconInteropConformanceTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static LexiconCatalog catalog;

    @BeforeAll
    static void loadCatalog() {
        catalog = new LexiconCatalog().addDirectory(SharedFixtures.resolve("atproto-interop/lexicon/catalog"));
    }

    @Test
    void catalogLoadsAndEveryReferenceResolvesButTheProcedureInput() {
        assertThat(catalog.documents()).hasSize(5);
        // the fixture's procedure takes app.bsky.actor.defs#preferences, a document the catalog does not hold
        assertThat(catalog.unresolvedReferences())
                .containsExactly("example.lexicon.procedure#main.input.preferences -> app.bsky.actor.defs#preferences");
    }

    @TestFactory
    List<DynamicTest> validLexiconDocuments() throws IOException {
        return cases("lexicon-valid.json", c -> () -> assertThatCode(() -> LexiconParser.parse(c.get("lexicon")))
                .doesNotThrowAnyException());
    }

    @TestFactory
    List<DynamicTest> invalidLexiconDocuments() throws IOException {
        return cases("lexicon-invalid.json", c -> () -> assertThatThrownBy(() -> LexiconParser.parse(c.get("lexicon")))
                .isInstanceOf(InvalidLexiconException.class));
    }

    @TestFactory
    List<DynamicTest> validRecordData() throws IOException {
        return cases("record-data-valid.json", c -> () -> assertThat(validate(c)).isEmpty());
    }

    @TestFactory
    List<DynamicTest> invalidRecordData() throws IOException {
        return cases("record-data-invalid.json", c -> () -> assertThat(validate(c)).isNotEmpty());
    }

    private static List<ValidationError> validate(JsonNode c) {
        JsonNode data = c.get("data");
        return catalog.validateRecord(data.get("$type").textValue(), c.get("rkey").textValue(), data);
    }

    private interface CaseTest {
        org.junit.jupiter.api.function.Executable of(JsonNode c);
    }

    private static List<DynamicTest> cases(String file, CaseTest test) throws IOException {
        JsonNode all = MAPPER.readTree(SharedFixtures.resolve("atproto-interop/lexicon/" + file).toFile());
        assertThat(all.size()).as(file + " cases").isPositive();
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode c : all) {
            tests.add(DynamicTest.dynamicTest(file + " #" + i++ + " " + c.get("name").textValue(), test.of(c)));
        }
        return tests;
    }
}
