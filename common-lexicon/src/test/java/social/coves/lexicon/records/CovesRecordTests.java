package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.SampleRecords;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CovesRecordTests {

    @Test
    void parsesAPostWithItsReferences() {
        CommunityPost post = (CommunityPost) CovesRecord.parse(CovesCollections.COMMUNITY_POST, SampleRecords.post());

        assertThat(post.community().isDid()).isTrue();
        assertThat(post.community().value()).isEqualTo(SampleRecords.COMMUNITY);
        assertThat(post.author().method()).isEqualTo("plc");
        assertThat(post.title()).isEqualTo("First harvest of the year 🍅");
        assertThat(post.langs()).containsExactly("en", "pt-BR");
        assertThat(post.labels()).containsExactly("spoiler");
        assertThat(post.tags()).containsExactly("harvest", "tomatoes");
        assertThat(post.embedType()).isEqualTo("social.coves.embed.images");
        assertThat(post.crosspostOf().collection()).isEqualTo(CovesCollections.COMMUNITY_POST);
        assertThat(post.crosspostOf().uri().rkey()).isEqualTo("3kznmn7xqxl22");
        assertThat(post.crosspostChain()).isEmpty();
        assertThat(post.createdAt().instant()).isEqualTo(Instant.parse("2025-01-03T10:00:00.123Z"));
    }

    @Test
    void parsesACommentAndKnowsWhetherItIsTopLevel() {
        CommunityComment comment = CommunityComment.fromJson(SampleRecords.comment());

        assertThat(comment.reply().isTopLevel()).isTrue();
        assertThat(comment.reply().parent().cid().value()).isEqualTo(SampleRecords.CID);
        assertThat(comment.content()).startsWith("Nice!");
        assertThat(comment.facets().isArray()).isTrue();
    }

    @Test
    void parsesVotesSubscriptionsBlocksAndProfiles() {
        Vote vote = Vote.fromJson(SampleRecords.vote());
        assertThat(vote.isUp()).isTrue();
        assertThat(vote.isKnownDirection()).isTrue();
        assertThat(vote.subject().toJson()).isEqualTo(SampleRecords.vote().get("subject"));

        CommunitySubscription subscription = CommunitySubscription.fromJson(SampleRecords.subscription().put("contentVisibility", 10));
        assertThat(subscription.subject().value()).isEqualTo(SampleRecords.COMMUNITY);
        assertThat(subscription.effectiveContentVisibility()).isEqualTo(5);
        ObjectNode noVisibility = SampleRecords.subscription();
        noVisibility.remove("contentVisibility");
        assertThat(CommunitySubscription.fromJson(noVisibility).effectiveContentVisibility()).isEqualTo(3);

        assertThat(CommunityBlock.fromJson(SampleRecords.block()).subject().value()).isEqualTo(SampleRecords.COMMUNITY);

        CommunityProfile community = CommunityProfile.fromJson(SampleRecords.communityProfile());
        assertThat(community.hostedBy().value()).isEqualTo("did:web:coves.social");
        assertThat(community.avatar().mimeType()).isEqualTo("image/png");
        assertThat(community.avatar().size()).isEqualTo(12345);
        assertThat(community.contentWarnings()).containsExactly("nsfw");
        assertThat(community.handle()).isNull();

        ActorProfile actor = ActorProfile.fromJson(SampleRecords.actorProfile());
        assertThat(actor.bio()).isEqualTo("I grow tomatoes");
        assertThat(actor.banner().ref().value()).isEqualTo(SampleRecords.CID);
    }

    @Test
    void parsesAggregatorServicesAndAuthorizations() {
        AggregatorService service = (AggregatorService) CovesRecord.parse(CovesCollections.AGGREGATOR_SERVICE, SampleRecords.aggregatorService());
        assertThat(service.collection()).isEqualTo(CovesCollections.AGGREGATOR_SERVICE);
        assertThat(service.did().value()).isEqualTo(SampleRecords.AGGREGATOR);
        assertThat(service.displayName()).isEqualTo("Kagi News 📰");
        assertThat(service.description()).startsWith("Posts the day's top stories");
        assertThat(service.avatar().ref().value()).isEqualTo(SampleRecords.CID);
        assertThat(service.avatar().mimeType()).isEqualTo("image/webp");
        assertThat(service.configSchema()).isEqualTo(SampleRecords.aggregatorService().get("configSchema"));
        assertThat(service.sourceUrl().scheme()).isEqualTo("https");
        assertThat(service.maintainer().value()).isEqualTo(SampleRecords.USER);
        assertThat(service.createdAt().instant()).isEqualTo(Instant.parse("2025-01-06T08:00:00Z"));

        AggregatorService minimal = AggregatorService.fromJson(SampleRecords.json("""
                {"did": "did:web:bot.example.com", "displayName": "Bot", "createdAt": "2025-01-06T08:00:00Z"}"""));
        assertThat(minimal.avatar()).isNull();
        assertThat(minimal.configSchema()).isNull();
        assertThat(minimal.sourceUrl()).isNull();
        assertThat(minimal.maintainer()).isNull();
        assertThat(minimal.description()).isNull();

        AggregatorAuthorization disabled = (AggregatorAuthorization) CovesRecord.parse(CovesCollections.AGGREGATOR_AUTHORIZATION,
                SampleRecords.aggregatorAuthorization());
        assertThat(disabled.collection()).isEqualTo(CovesCollections.AGGREGATOR_AUTHORIZATION);
        assertThat(disabled.aggregatorDid().value()).isEqualTo(SampleRecords.AGGREGATOR);
        assertThat(disabled.communityDid().value()).isEqualTo(SampleRecords.COMMUNITY);
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.config().get("maxPostsPerDay").intValue()).isEqualTo(5);
        assertThat(disabled.createdBy().value()).isEqualTo(SampleRecords.USER);
        assertThat(disabled.disabledAt().instant()).isEqualTo(Instant.parse("2025-01-07T09:00:00Z"));
        assertThat(disabled.disabledBy().value()).isEqualTo(SampleRecords.USER);

        ObjectNode enabled = SampleRecords.aggregatorAuthorization().put("enabled", true);
        enabled.remove(List.of("config", "disabledAt", "disabledBy"));
        AggregatorAuthorization on = AggregatorAuthorization.fromJson(enabled);
        assertThat(on.enabled()).isTrue();
        assertThat(on.config()).isNull();
        assertThat(on.disabledAt()).isNull();
        assertThat(on.disabledBy()).isNull();
    }

    @Test
    void aggregatorRecordsFailWithThePathOfTheField() {
        ObjectNode noEnabled = SampleRecords.aggregatorAuthorization();
        noEnabled.remove("enabled");
        assertThatThrownBy(() -> AggregatorAuthorization.fromJson(noEnabled))
                .isInstanceOf(RecordParseException.class).hasMessage("$.enabled: required field missing");
        assertThatThrownBy(() -> AggregatorAuthorization.fromJson(SampleRecords.aggregatorAuthorization().put("enabled", "yes")))
                .isInstanceOf(RecordParseException.class).hasMessage("$.enabled: expected a boolean, got string \"yes\"");
        assertThatThrownBy(() -> AggregatorService.fromJson(SampleRecords.aggregatorService().put("did", "not-a-did")))
                .isInstanceOf(RecordParseException.class).hasMessageStartingWith("$.did: ");
        ObjectNode noName = SampleRecords.aggregatorService();
        noName.remove("displayName");
        assertThatThrownBy(() -> AggregatorService.fromJson(noName))
                .isInstanceOf(RecordParseException.class).hasMessage("$.displayName: required field missing");
    }

    @Test
    void actorProfileReadsTheAppViewsDescriptionSpellingWithoutCreatedAt() {
        ActorProfile actor = ActorProfile.fromJson(SampleRecords.json("{\"displayName\": \"A\", \"description\": \"hi\"}"));
        assertThat(actor.bio()).isEqualTo("hi");
        assertThat(actor.createdAt()).isNull();
    }

    @Test
    void badInputFailsWithThePathOfTheField() {
        ObjectNode post = SampleRecords.post();
        post.remove("author");
        assertThatThrownBy(() -> CommunityPost.fromJson(post))
                .isInstanceOf(RecordParseException.class).hasMessage("$.author: required field missing");

        ObjectNode vote = SampleRecords.vote();
        ((ObjectNode) vote.get("subject")).put("uri", "at://" + SampleRecords.USER);
        assertThatThrownBy(() -> Vote.fromJson(vote))
                .isInstanceOf(RecordParseException.class).hasMessageStartingWith("$.subject.uri: must name a record");

        assertThatThrownBy(() -> CommunityBlock.fromJson(SampleRecords.block().put("subject", "did:plc:short/path")))
                .isInstanceOf(RecordParseException.class).hasMessageContaining("$.subject").hasMessageContaining("'/' is not allowed");
        assertThat(CommunityBlock.fromJson(SampleRecords.block().put("subject", "did:plc:short")).subject().value())
                .as("the generic DID syntax is enough in a record").isEqualTo("did:plc:short");

        assertThatThrownBy(() -> CommunityProfile.fromJson(SampleRecords.communityProfile().put("createdAt", 5)))
                .isInstanceOf(RecordParseException.class).hasMessage("$.createdAt: expected a string, got number 5");

        ObjectNode comment = SampleRecords.comment();
        ((ObjectNode) comment.get("reply")).remove("parent");
        assertThatThrownBy(() -> CommunityComment.fromJson(comment))
                .isInstanceOf(RecordParseException.class).hasMessage("$.reply.parent: required field missing");

        assertThatThrownBy(() -> CovesRecord.parse("app.bsky.feed.post", SampleRecords.post()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void strongRefHelpers() {
        StrongRef ref = StrongRef.of(SampleRecords.POST_URI, SampleRecords.CID);
        assertThat(ref.uri().did()).map(Object::toString).contains(SampleRecords.COMMUNITY);
        assertThat(ref.collection()).isEqualTo("social.coves.community.post");
        assertThat(StrongRef.fromJson(ref.toJson())).isEqualTo(ref);
        assertThatThrownBy(() -> StrongRef.of("at://" + SampleRecords.COMMUNITY, SampleRecords.CID))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must name a record");
    }
}
