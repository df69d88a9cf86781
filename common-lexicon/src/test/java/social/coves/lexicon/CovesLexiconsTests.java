package social.coves.lexicon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.schema.ValidationError;

import static org.assertj.core.api.Assertions.assertThat;

class CovesLexiconsTests {

    private final CovesLexicons lexicons = CovesLexicons.get();

    @Test
    void knowsWhichCollectionsAreIndexed() {
        assertThat(CovesCollections.INDEXED).allMatch(lexicons::isIndexedCollection);
        assertThat(lexicons.isIndexedCollection("social.coves.aggregator.service")).isFalse();
        assertThat(lexicons.isIndexedCollection("app.bsky.feed.post")).isFalse();
        assertThat(lexicons.validateRecord("app.bsky.feed.post", SampleRecords.post())).extracting(ValidationError::toString)
                .containsExactly("$: collection app.bsky.feed.post is not indexed by Coves");
    }

    @Test
    void validatesEverySampleAndReportsBrokenRules() {
        SampleRecords.all().values().forEach(r -> assertThat(lexicons.validateRecord(SampleRecords.collectionOf(r), r)).isEmpty());

        ObjectNode post = SampleRecords.post().put("title", "x".repeat(301));
        ((ObjectNode) post.get("embed")).putArray("images");
        assertThat(lexicons.validateRecord(CovesCollections.COMMUNITY_POST, post)).extracting(ValidationError::toString)
                .containsExactly("$.title: longer than 300 graphemes", "$.embed.images: fewer than 1 items");
    }

    @Test
    void checksRecordKeys() {
        assertThat(lexicons.validateRecord(CovesCollections.COMMUNITY_PROFILE, "self", SampleRecords.communityProfile())).isEmpty();
        assertThat(lexicons.validateRecord(CovesCollections.COMMUNITY_PROFILE, "3kznmn7xqxl22", SampleRecords.communityProfile()))
                .extracting(ValidationError::toString).containsExactly("rkey: record key must be self");
    }
}
