package social.coves.lexicon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.fixtures.SharedFixtures;
import social.coves.lexicon.records.CovesRecord;
import social.coves.lexicon.schema.ValidationError;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class CovesLexiconsTests {

    private final CovesLexicons lexicons = CovesLexicons.get();

    @Test
    void knowsWhichCollectionsAreIndexed() {
        assertThat(CovesCollections.INDEXED).allMatch(lexicons::isIndexedCollection);
        assertThat(lexicons.isIndexedCollection("social.coves.aggregator.service")).isTrue();
        assertThat(lexicons.isIndexedCollection("social.coves.aggregator.authorization")).isTrue();
        assertThat(lexicons.isIndexedCollection("social.coves.aggregator.register")).as("a procedure, not a record").isFalse();
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

    /** A service record must name its own repo, an authorization its community's: one rule, with the field named. */
    @Test
    void aggregatorRecordsMustNameTheRepoHoldingThem() {
        String service = CovesCollections.AGGREGATOR_SERVICE, authorization = CovesCollections.AGGREGATOR_AUTHORIZATION;
        assertThat(lexicons.validateRecord(SampleRecords.AGGREGATOR, service, "self", SampleRecords.aggregatorService())).isEmpty();
        assertThat(lexicons.validateRecord(SampleRecords.COMMUNITY, authorization, "3kznmn7xqxl22", SampleRecords.aggregatorAuthorization()))
                .isEmpty();

        assertThat(lexicons.validateRecord(SampleRecords.USER, service, "self", SampleRecords.aggregatorService()))
                .extracting(ValidationError::toString)
                .containsExactly("$.did: " + SampleRecords.AGGREGATOR + " is not the repo " + SampleRecords.USER);
        assertThat(lexicons.validateRecord(SampleRecords.AGGREGATOR, authorization, "3kznmn7xqxl22", SampleRecords.aggregatorAuthorization()))
                .extracting(ValidationError::toString)
                .containsExactly("$.communityDid: " + SampleRecords.COMMUNITY + " is not the repo " + SampleRecords.AGGREGATOR);
        // the lexicon's own errors come first, and a field that is no DID is reported once, by the lexicon
        assertThat(lexicons.validateRecord(SampleRecords.USER, service, "3kznmn7xqxl22", SampleRecords.aggregatorService()))
                .extracting(ValidationError::toString).containsExactly("rkey: record key must be self",
                        "$.did: " + SampleRecords.AGGREGATOR + " is not the repo " + SampleRecords.USER);
        assertThat(lexicons.validateRecord(SampleRecords.USER, service, "self", SampleRecords.aggregatorService().put("did", "not-a-did")))
                .extracting(ValidationError::toString).containsExactly("$.did: not a valid did");
        ObjectNode noCommunity = SampleRecords.aggregatorAuthorization();
        noCommunity.remove("communityDid");
        assertThat(lexicons.validateRecord(SampleRecords.USER, authorization, "3kznmn7xqxl22", noCommunity))
                .extracting(ValidationError::toString).containsExactly("$.communityDid: required field missing");

        // other collections do not name their repo: a subscription naming someone else is what it is for
        assertThat(lexicons.validateRecord(SampleRecords.USER, CovesCollections.COMMUNITY_SUBSCRIPTION, "3kznmn7xqxl22",
                SampleRecords.subscription())).isEmpty();
        assertThat(CovesLexicons.repoMismatch(CovesCollections.COMMUNITY_POST, SampleRecords.post(), SampleRecords.USER)).isEmpty();
        assertThat(CovesLexicons.repoMismatch(service, SampleRecords.aggregatorService(), SampleRecords.AGGREGATOR)).isEmpty();
        assertThat(CovesLexicons.repoMismatch(service, SampleRecords.aggregatorService(), SampleRecords.COMMUNITY))
                .hasValueSatisfying(e -> assertThat(e.path()).isEqualTo("$.did"));
    }

    @Test
    void aCommentsReferencesMustBeOneThread() {
        String comment = CovesCollections.COMMUNITY_COMMENT;
        String otherPost = "at://" + SampleRecords.COMMUNITY + "/social.coves.community.post/3kznmn7xqxl99";
        String aComment = "at://" + SampleRecords.USER + "/social.coves.community.comment/3kznmn7xqxl77";
        assertThat(lexicons.validateRecord(SampleRecords.USER, comment, "3kznmn7xqxl22", SampleRecords.comment())).isEmpty();

        ObjectNode replyToAnotherPost = SampleRecords.comment();
        ((ObjectNode) replyToAnotherPost.path("reply").path("parent")).put("uri", otherPost);
        assertThat(lexicons.validateRecord(SampleRecords.USER, comment, "3kznmn7xqxl22", replyToAnotherPost))
                .extracting(ValidationError::toString).containsExactly("$.reply.parent: a reply to the post " + otherPost
                        + " must name that post as its root, not " + SampleRecords.POST_URI);
        ObjectNode rootIsAComment = SampleRecords.comment();
        ((ObjectNode) rootIsAComment.path("reply").path("root")).put("uri", aComment);
        assertThat(lexicons.validateRecord(SampleRecords.USER, comment, "3kznmn7xqxl22", rootIsAComment))
                .extracting(ValidationError::toString).containsExactly("$.reply.root.uri: " + aComment + " is not a social.coves.community.post");
        // a reply to a comment: which thread that comment is in only the index knows
        ObjectNode replyToAComment = SampleRecords.comment();
        ((ObjectNode) replyToAComment.path("reply").path("parent")).put("uri", aComment);
        assertThat(lexicons.validateRecord(SampleRecords.USER, comment, "3kznmn7xqxl22", replyToAComment)).isEmpty();
    }

    @Test
    void checksRecordKeys() {
        assertThat(lexicons.validateRecord(CovesCollections.COMMUNITY_PROFILE, "self", SampleRecords.communityProfile())).isEmpty();
        assertThat(lexicons.validateRecord(CovesCollections.COMMUNITY_PROFILE, "3kznmn7xqxl22", SampleRecords.communityProfile()))
                .extracting(ValidationError::toString).containsExactly("rkey: record key must be self");
    }

    /**
     * Records naming DIDs that meet atproto's generic DID syntax but not the did:plc / did:web method rules (the kind
     * other implementations' own test records use) are valid, and the typed parsers the indexer uses read them.
     */
    @Test
    void recordsNamingAnyGenericSyntaxDidAreValid() {
        for (String did : List.of("did:plc:test123", "did:web:example.com", "did:example:abc", "did:web:example.com:u:alice")) {
            String post = "at://" + did + "/social.coves.community.post/3kznmn7xqxl22";
            String mention = """
                    [{"index": {"byteStart": 0, "byteEnd": 5},
                      "features": [{"$type": "social.coves.richtext.facet#mention", "did": "%s"}]}]""".formatted(did);
            Map<String, ObjectNode> records = Map.of(
                    CovesCollections.COMMUNITY_PROFILE, SampleRecords.json("""
                            {"$type": "social.coves.community.profile", "name": "test", "description": "hello",
                             "descriptionFacets": %s, "createdBy": "%s", "hostedBy": "%s", "createdAt": "2025-01-01T10:00:00Z"}
                            """.formatted(mention, did, did)),
                    CovesCollections.COMMUNITY_SUBSCRIPTION, SampleRecords.json("""
                            {"$type": "social.coves.community.subscription", "subject": "%s", "contentVisibility": 3,
                             "createdAt": "2025-01-02T10:00:00Z"}""".formatted(did)),
                    CovesCollections.COMMUNITY_BLOCK, SampleRecords.json("""
                            {"$type": "social.coves.community.block", "subject": "%s", "createdAt": "2025-01-02T10:00:00Z"}
                            """.formatted(did)),
                    CovesCollections.COMMUNITY_POST, SampleRecords.json("""
                            {"$type": "social.coves.community.post", "community": "%s", "author": "%s", "title": "hello",
                             "content": "hello", "facets": %s, "crosspostOf": {"uri": "%s", "cid": "%s"},
                             "createdAt": "2025-01-03T10:00:00Z"}""".formatted(did, did, mention, post, SampleRecords.CID)),
                    CovesCollections.COMMUNITY_COMMENT, SampleRecords.json("""
                            {"$type": "social.coves.community.comment",
                             "reply": {"root": {"uri": "%s", "cid": "%s"}, "parent": {"uri": "%s", "cid": "%s"}},
                             "content": "hello", "facets": %s, "createdAt": "2025-01-04T10:00:00Z"}
                            """.formatted(post, SampleRecords.CID, post, SampleRecords.CID, mention)),
                    CovesCollections.FEED_VOTE, SampleRecords.json("""
                            {"$type": "social.coves.feed.vote", "subject": {"uri": "%s", "cid": "%s"}, "direction": "up",
                             "createdAt": "2025-01-05T10:00:00Z"}""".formatted(post, SampleRecords.CID)));
            records.forEach((collection, record) -> {
                assertThat(lexicons.validateRecord(collection, record)).as(collection + " naming " + did).isEmpty();
                assertThatCode(() -> CovesRecord.parse(collection, record)).as(collection + " naming " + did).doesNotThrowAnyException();
            });
        }
    }

    /** Every invalid DID of the interop fixtures is still refused where a record wants a DID, with the field named. */
    @Test
    void syntacticallyInvalidDidsAreStillRefused() {
        for (String did : SharedFixtures.syntaxCases("did_syntax_invalid.txt")) {
            ObjectNode subscription = SampleRecords.subscription().put("subject", did);
            assertThat(lexicons.validateRecord(CovesCollections.COMMUNITY_SUBSCRIPTION, subscription)).as(did)
                    .extracting(ValidationError::toString).containsExactly("$.subject: not a valid did");
        }
    }
}
