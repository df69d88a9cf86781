package social.coves.lexicon.syntax;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import social.coves.lexicon.fixtures.SharedFixtures;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every line of the atproto interop syntax fixtures, read in place, against both {@code isValid} and {@code parse}. */
class SyntaxConformanceTests {

    private record Kind(Predicate<String> isValid, Consumer<String> parse) {
    }

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("atidentifier_syntax", new Kind(AtIdentifier::isValid, AtIdentifier::parse)),
            Map.entry("aturi_syntax", new Kind(AtUri::isValid, AtUri::parse)),
            Map.entry("cid_syntax", new Kind(Cid::isValid, Cid::parse)),
            Map.entry("datetime_syntax", new Kind(Datetime::isValid, Datetime::parse)),
            Map.entry("datetime_parse", new Kind(Datetime::isValid, Datetime::parse)),
            Map.entry("did_syntax", new Kind(Did::isValid, Did::parse)),
            Map.entry("handle_syntax", new Kind(Handle::isValid, Handle::parse)),
            Map.entry("language_syntax", new Kind(LanguageTag::isValid, LanguageTag::parse)),
            Map.entry("language_parse", new Kind(LanguageTag::isValid, LanguageTag::parse)),
            Map.entry("nsid_syntax", new Kind(Nsid::isValid, Nsid::parse)),
            Map.entry("recordkey_syntax", new Kind(RecordKey::isValid, RecordKey::parse)),
            Map.entry("tid_syntax", new Kind(Tid::isValid, Tid::parse)),
            Map.entry("uri_syntax", new Kind(Uri::isValid, Uri::parse)));

    @TestFactory
    List<DynamicTest> everyFixtureLine() {
        List<DynamicTest> tests = new ArrayList<>();
        KINDS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            for (String verdict : List.of("valid", "invalid")) {
                String file = entry.getKey() + "_" + verdict + ".txt";
                if (entry.getKey().endsWith("_parse") && verdict.equals("valid")) {
                    continue; // there are no *_parse_valid files: the syntax_valid files cover them
                }
                Kind kind = entry.getValue();
                for (String line : SharedFixtures.syntaxCases(file)) {
                    tests.add(DynamicTest.dynamicTest(file + " [" + line + "]", () -> check(kind, line, verdict.equals("valid"))));
                }
            }
        });
        return tests;
    }

    private static void check(Kind kind, String line, boolean valid) {
        assertThat(kind.isValid().test(line)).as("isValid(\"%s\")", line).isEqualTo(valid);
        if (valid) {
            assertThatCode(() -> kind.parse().accept(line)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> kind.parse().accept(line)).isInstanceOf(InvalidSyntaxException.class);
        }
    }
}
