package social.coves.lexicon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** Realistic valid records for every indexed collection, exercising refs, unions, facets, embeds and labels. */
public final class SampleRecords {

    public static final String USER = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    public static final String COMMUNITY = "did:plc:abcdefghijklmnopqrstuvwx";
    public static final String AGGREGATOR = "did:plc:aggregatorbotaggregatorb";
    public static final String CID = "bafyreiclp443lavogvhj3d2ob2cxbfuscni2k5jk7bebjzg7khl3esabwq";
    public static final String POST_URI = "at://" + COMMUNITY + "/social.coves.community.post/3kznmn7xqxl22";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SampleRecords() {
    }

    public static ObjectNode communityProfile() {
        return json("""
                {"$type": "social.coves.community.profile", "name": "gardening", "displayName": "Gardening 🌱",
                 "description": "Grow things. Talk to @alice.example.com", "descriptionFacets": [
                   {"index": {"byteStart": 21, "byteEnd": 39},
                    "features": [{"$type": "social.coves.richtext.facet#mention", "did": "%s"}]}],
                 "avatar": {"$type": "blob", "ref": {"$link": "%s"}, "mimeType": "image/png", "size": 12345},
                 "createdBy": "%s", "hostedBy": "did:web:coves.social", "visibility": "public",
                 "moderationType": "moderator", "contentWarnings": ["nsfw"], "createdAt": "2025-01-01T10:00:00.000Z",
                 "federation": {"allowExternalDiscovery": true}, "memberCount": 0}
                """.formatted(USER, CID, USER));
    }

    public static ObjectNode subscription() {
        return json("""
                {"$type": "social.coves.community.subscription", "subject": "%s", "contentVisibility": 3,
                 "createdAt": "2025-01-02T10:00:00Z"}
                """.formatted(COMMUNITY));
    }

    public static ObjectNode block() {
        return json("""
                {"$type": "social.coves.community.block", "subject": "%s", "createdAt": "2025-01-02T10:00:00Z"}
                """.formatted(COMMUNITY));
    }

    public static ObjectNode post() {
        return json("""
                {"$type": "social.coves.community.post", "community": "%s", "author": "%s",
                 "title": "First harvest of the year 🍅", "content": "Tomatoes are in. **Bold** claim: best ever.",
                 "facets": [{"index": {"byteStart": 18, "byteEnd": 26},
                             "features": [{"$type": "social.coves.richtext.facet#bold"}]},
                            {"index": {"byteStart": 0, "byteEnd": 8},
                             "features": [{"$type": "social.coves.richtext.facet#link", "uri": "https://example.com/t"}]}],
                 "embed": {"$type": "social.coves.embed.images", "images": [
                   {"image": {"$type": "blob", "ref": {"$link": "%s"}, "mimeType": "image/jpeg", "size": 204800},
                    "alt": "a basket of tomatoes", "aspectRatio": {"width": 4, "height": 3}}]},
                 "langs": ["en", "pt-BR"], "labels": {"$type": "com.atproto.label.defs#selfLabels", "values": [{"val": "spoiler"}]},
                 "tags": ["harvest", "tomatoes"],
                 "crosspostOf": {"uri": "%s", "cid": "%s"},
                 "createdAt": "2025-01-03T10:00:00.123Z"}
                """.formatted(COMMUNITY, USER, CID, POST_URI, CID));
    }

    public static ObjectNode externalPost() {
        return json("""
                {"$type": "social.coves.community.post", "community": "gardening.coves.social", "author": "%s",
                 "title": "Link", "embed": {"$type": "social.coves.embed.external", "external": {
                   "uri": "https://example.com/article", "title": "An article", "description": "About soil",
                   "domain": "example.com", "embedType": "article", "totalCount": 2,
                   "sources": [{"uri": "https://example.org/a", "sourcePost": {"uri": "%s", "cid": "%s"}}]}},
                 "createdAt": "2025-01-03T10:00:00Z"}
                """.formatted(USER, POST_URI, CID));
    }

    public static ObjectNode comment() {
        return json("""
                {"$type": "social.coves.community.comment",
                 "reply": {"root": {"uri": "%s", "cid": "%s"}, "parent": {"uri": "%s", "cid": "%s"}},
                 "content": "Nice! ||spoiler|| 👩‍👩‍👦‍👦", "facets": [{"index": {"byteStart": 6, "byteEnd": 17},
                   "features": [{"$type": "social.coves.richtext.facet#spoiler", "reason": "plot"}]}],
                 "embed": {"$type": "social.coves.embed.post", "post": {"uri": "%s", "cid": "%s"}},
                 "langs": ["en"], "createdAt": "2025-01-04T10:00:00Z"}
                """.formatted(POST_URI, CID, POST_URI, CID, POST_URI, CID));
    }

    public static ObjectNode vote() {
        return json("""
                {"$type": "social.coves.feed.vote", "subject": {"uri": "%s", "cid": "%s"}, "direction": "up",
                 "createdAt": "2025-01-05T10:00:00Z"}
                """.formatted(POST_URI, CID));
    }

    public static ObjectNode actorProfile() {
        return json("""
                {"$type": "social.coves.actor.profile", "displayName": "Alice", "bio": "I grow tomatoes",
                 "banner": {"$type": "blob", "ref": {"$link": "%s"}, "mimeType": "image/webp", "size": 1500000},
                 "createdAt": "2025-01-01T09:00:00Z"}
                """.formatted(CID));
    }

    public static ObjectNode aggregatorService() {
        return json("""
                {"$type": "social.coves.aggregator.service", "did": "%s", "displayName": "Kagi News 📰",
                 "description": "Posts the day's top stories into the communities that allow it.",
                 "avatar": {"$type": "blob", "ref": {"$link": "%s"}, "mimeType": "image/webp", "size": 40960},
                 "configSchema": {"type": "object", "properties": {"categories": {"type": "array", "items": {"type": "string"}},
                   "maxPostsPerDay": {"type": "integer", "minimum": 1}}},
                 "sourceUrl": "https://github.com/example/news-aggregator", "maintainer": "%s",
                 "createdAt": "2025-01-06T08:00:00Z"}
                """.formatted(AGGREGATOR, CID, USER));
    }

    public static ObjectNode aggregatorAuthorization() {
        return json("""
                {"$type": "social.coves.aggregator.authorization", "aggregatorDid": "%s", "communityDid": "%s",
                 "enabled": false, "config": {"categories": ["world", "science"], "maxPostsPerDay": 5},
                 "createdAt": "2025-01-06T09:00:00Z", "createdBy": "%s",
                 "disabledAt": "2025-01-07T09:00:00.000Z", "disabledBy": "%s"}
                """.formatted(AGGREGATOR, COMMUNITY, USER, USER));
    }

    /** One sample per indexed collection (plus a second post shape), keyed by a label. */
    public static Map<String, ObjectNode> all() {
        Map<String, ObjectNode> all = new LinkedHashMap<>();
        all.put("community.profile", communityProfile());
        all.put("community.subscription", subscription());
        all.put("community.block", block());
        all.put("community.post", post());
        all.put("community.post (external)", externalPost());
        all.put("community.comment", comment());
        all.put("feed.vote", vote());
        all.put("actor.profile", actorProfile());
        all.put("aggregator.service", aggregatorService());
        all.put("aggregator.authorization", aggregatorAuthorization());
        return all;
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static String collectionOf(JsonNode record) {
        return record.get("$type").textValue();
    }
}
