package social.coves.api.posts.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.CovesLexicons;
import social.coves.lexicon.schema.ValidationError;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code social.coves.community.post} record a {@code post.create} body asks for, checked as the lexicon says
 * (grapheme limits, {@code langs} ≤ 3, {@code tags} ≤ 8, the embed union, the self-label shape — the same validator
 * the ingestor applies) plus what the lexicon leaves open: the embed's {@code $type} must be one of the union's
 * members, self-labels must be ones this instance knows ({@code coves.api.posts.self-labels}), and a post must say
 * something (a title, content or an embed).
 */
@ApplicationScoped
public class PostRecords {

    public static final List<String> EMBED_TYPES = List.of("social.coves.embed.images", "social.coves.embed.video",
            "social.coves.embed.external", "social.coves.embed.post");
    private static final List<String> COPIED = List.of("title", "content", "facets", "embed", "langs", "labels", "tags");

    private final ObjectMapper json;
    private final Set<String> selfLabels;

    public PostRecords(ObjectMapper json,
                       @ConfigProperty(name = "coves.api.posts.self-labels", defaultValue = "nsfw,spoiler,violence") Set<String> selfLabels) {
        this.json = json;
        this.selfLabels = selfLabels;
    }

    public ObjectNode build(JsonNode body, String communityDid, String author) {
        ObjectNode record = json.createObjectNode();
        record.put("$type", CovesCollections.COMMUNITY_POST);
        record.put("community", communityDid);
        record.put("author", author);
        for (String field : COPIED) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                record.set(field, value);
            }
        }
        record.put("createdAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        checkEmbed(record.get("embed"));
        checkLabels(record.get("labels"));
        if (!record.hasNonNull("title") && !record.hasNonNull("content") && !record.hasNonNull("embed")) {
            throw XrpcException.invalidRequest("a post needs a title, content or an embed");
        }
        List<ValidationError> errors = CovesLexicons.get().validateRecord(CovesCollections.COMMUNITY_POST, record);
        if (!errors.isEmpty()) {
            throw XrpcException.invalidRequest("invalid post: "
                    + errors.stream().map(ValidationError::toString).collect(Collectors.joining("; ")));
        }
        return record;
    }

    /** The embed's {@code $type}, or null without an embed. */
    public static String embedType(JsonNode record) {
        JsonNode embed = record.get("embed");
        return embed == null ? null : embed.path("$type").asText();
    }

    private static void checkEmbed(JsonNode embed) {
        if (embed == null) {
            return;
        }
        if (!embed.isObject()) {
            throw XrpcException.invalidRequest("embed must be an object with a $type");
        }
        JsonNode type = embed.get("$type");
        if (type == null || !type.isTextual()) {
            throw XrpcException.invalidRequest("embed.$type is required (one of " + String.join(", ", EMBED_TYPES) + ")");
        }
        if (!EMBED_TYPES.contains(type.asText())) {
            throw XrpcException.invalidRequest("embed.$type " + type.asText() + " is not one of "
                    + String.join(", ", EMBED_TYPES));
        }
    }

    private void checkLabels(JsonNode labels) {
        if (labels == null) {
            return;
        }
        JsonNode values = labels.path("values");
        if (!labels.isObject() || !values.isArray()) {
            throw XrpcException.invalidRequest("labels must be {\"values\": [{\"val\": ...}]} (com.atproto.label.defs#selfLabels)");
        }
        for (int i = 0; i < values.size(); i++) {
            String val = values.get(i).path("val").asText("");
            if (!selfLabels.contains(val)) {
                throw XrpcException.invalidRequest("labels.values[" + i + "].val " + val + " is not a self-label this "
                        + "instance accepts (" + String.join(", ", selfLabels) + ")");
            }
        }
    }
}
