package social.coves.lexicon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import social.coves.lexicon.fixtures.SharedFixtures;
import social.coves.lexicon.schema.LexiconCatalog;
import social.coves.lexicon.schema.LexiconDocument;
import social.coves.lexicon.schema.LexiconParser;
import social.coves.lexicon.schema.ValidationError;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our bundled lexicons against the documents the Go implementation publishes (shared fixtures, read in place): the
 * same definitions, and the same verdict on valid records and on thousands of mutations of them.
 */
class CovesLexiconCompatibilityTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static LexiconCatalog published;
    private static final LexiconCatalog ours = CovesLexicons.get().catalog();

    @BeforeAll
    static void loadPublished() throws IOException {
        published = new LexiconCatalog();
        for (String nsid : CovesLexicons.DOCUMENTS) {
            published.add(MAPPER.readTree(publishedFile(nsid).toFile()));
        }
    }

    private static Path publishedFile(String nsid) {
        return SharedFixtures.resolve("coves-lexicons/" + nsid.replace('.', '/') + ".json");
    }

    @TestFactory
    List<DynamicTest> sameDefinitionsAsPublished() {
        return CovesLexicons.DOCUMENTS.stream().map(nsid -> DynamicTest.dynamicTest(nsid, () -> {
            LexiconDocument mine = ours.document(nsid).orElseThrow();
            LexiconDocument theirs = LexiconParser.parse(MAPPER.readTree(publishedFile(nsid).toFile()));
            assertThat(mine.defs().keySet()).isEqualTo(theirs.defs().keySet());
            // compiled definitions compare types, required/nullable sets, formats, limits, enums and resolved refs
            mine.defs().forEach((name, def) -> assertThat(def).as(nsid + "#" + name).isEqualTo(theirs.defs().get(name)));
        })).toList();
    }

    @Test
    void bundledLexiconsResolveEveryReference() {
        assertThat(ours.unresolvedReferences()).isEmpty();
        assertThat(published.unresolvedReferences()).isEmpty();
    }

    @TestFactory
    List<DynamicTest> samplesAreValidUnderBoth() {
        return SampleRecords.all().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            String collection = SampleRecords.collectionOf(e.getValue());
            assertThat(ours.validateRecord(collection, e.getValue())).isEmpty();
            assertThat(published.validateRecord(collection, e.getValue())).isEmpty();
        })).toList();
    }

    @TestFactory
    List<DynamicTest> mutationsGetTheSameVerdict() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> sample : SampleRecords.all().entrySet()) {
            String collection = SampleRecords.collectionOf(sample.getValue());
            List<RecordMutations.Mutation> mutations = RecordMutations.of(sample.getValue());
            tests.add(DynamicTest.dynamicTest(sample.getKey() + " (" + mutations.size() + " mutations)", () -> {
                int rejected = 0;
                List<String> disagreements = new ArrayList<>();
                for (RecordMutations.Mutation mutation : mutations) {
                    boolean oursValid = ours.validateRecord(collection, mutation.record()).isEmpty();
                    boolean theirsValid = published.validateRecord(collection, mutation.record()).isEmpty();
                    if (oursValid != theirsValid) {
                        disagreements.add(mutation + " ours=" + oursValid + " published=" + theirsValid);
                    }
                    rejected += oursValid ? 0 : 1;
                }
                assertThat(disagreements).isEmpty();
                // the mutations must actually exercise the rules, not just pass through
                assertThat(rejected).as("rejected mutations of " + sample.getKey()).isGreaterThan(mutations.size() / 3);
            }));
        }
        return tests;
    }

    @Test
    void namedMutationsAreRejectedByBothWithTheSameRule() {
        ObjectNode longTitle = SampleRecords.post().put("title", "🌱".repeat(301));
        ObjectNode missingCommunity = SampleRecords.post();
        missingCommunity.remove("community");
        ObjectNode wrongType = SampleRecords.subscription().put("contentVisibility", "three");
        ObjectNode badFormat = SampleRecords.block().put("subject", "not-a-did");
        ObjectNode badVoteRef = SampleRecords.vote();
        ((ObjectNode) badVoteRef.get("subject")).put("uri", "https://example.com/not-at-uri");

        assertSameSingleError(longTitle, "$.title: longer than 300 graphemes");
        assertSameSingleError(missingCommunity, "$.community: required field missing");
        assertSameSingleError(wrongType, "$.contentVisibility: expected an integer, got a string");
        assertSameSingleError(badFormat, "$.subject: not a valid did");
        assertSameSingleError(badVoteRef, "$.subject.uri: not a valid at-uri");
    }

    private static void assertSameSingleError(JsonNode record, String expected) {
        String collection = SampleRecords.collectionOf(record);
        List<ValidationError> mine = ours.validateRecord(collection, record);
        assertThat(mine).extracting(ValidationError::toString).containsExactly(expected);
        assertThat(published.validateRecord(collection, record)).isEqualTo(mine);
    }
}
