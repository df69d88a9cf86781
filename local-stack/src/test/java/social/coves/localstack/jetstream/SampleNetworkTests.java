package social.coves.localstack.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.CovesLexicons;
import social.coves.lexicon.syntax.AtUri;
import social.coves.lexicon.syntax.Cid;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.Tid;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SampleNetworkTests {

    private static final Instant END = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void isDeterministicForASeed() {
        List<String> a = SampleNetwork.generate(42, END).events().stream().map(ObjectNode::toString).toList();
        List<String> b = SampleNetwork.generate(42, END).events().stream().map(ObjectNode::toString).toList();
        List<String> c = SampleNetwork.generate(43, END).events().stream().map(ObjectNode::toString).toList();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void everyCommitIsValidAgainstTheCovesLexiconsWithValidIdentifiers() {
        CovesLexicons lexicons = CovesLexicons.get();
        for (ObjectNode event : SampleNetwork.generate(42, END).events()) {
            assertThat(Did.isValid(event.get("did").asText())).as(event.toString()).isTrue();
            JsonNode commit = event.get("commit");
            if (commit == null) {
                continue;
            }
            assertThat(Tid.isValid(commit.get("rev").asText())).as("rev of %s", event).isTrue();
            if (commit.has("record")) {
                assertThat(Cid.isValid(commit.get("cid").asText())).as("cid of %s", event).isTrue();
                assertThat(lexicons.validateRecord(commit.get("collection").asText(), commit.get("rkey").asText(), commit.get("record")))
                        .as(event.toString()).isEmpty();
                JsonNode subject = commit.get("record").get("subject");
                if (subject != null && subject.isObject()) {
                    assertThat(AtUri.isValid(subject.get("uri").asText())).isTrue();
                }
            }
        }
    }

    @Test
    void coversEveryKindOfActivityTheAppViewIndexes() {
        SampleNetwork sample = SampleNetwork.generate(42, END);
        Map<String, Long> byCollection = sample.events().stream().filter(e -> e.has("commit"))
                .collect(Collectors.groupingBy(e -> e.at("/commit/collection").asText() + " " + e.at("/commit/operation").asText(),
                        Collectors.counting()));
        assertThat(byCollection).containsKeys(
                "social.coves.community.profile create", "social.coves.community.profile update",
                "social.coves.community.subscription create", "social.coves.community.post create",
                "social.coves.community.comment create", "social.coves.feed.vote create", "social.coves.actor.profile create");
        assertThat(sample.communities()).hasSize(5);
        assertThat(sample.events().getLast().get("time_us").asLong()).isLessThanOrEqualTo(END.toEpochMilli() * 1000 + 3_600_000_000L);
    }
}
