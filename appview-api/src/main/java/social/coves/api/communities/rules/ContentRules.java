package social.coves.api.communities.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.api.xrpc.XrpcException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a community accepts, from its {@code social.coves.community.rules/self} record: which kinds of post
 * ({@code postTypes}: text, image, video, article = an external link, microblog = a quoted post) and which link
 * domains ({@code contentRestrictions}: blocked, or only allowed). Missing flags default to allowed, as the lexicon
 * says. A text-only community is one with every embed kind off.
 */
public record ContentRules(boolean allowText, boolean allowImage, boolean allowVideo, boolean allowArticle,
                           boolean allowMicroblog, List<String> blockedDomains, List<String> allowedDomains) {

    public static final String COLLECTION = "social.coves.community.rules";
    public static final ContentRules NONE = new ContentRules(true, true, true, true, true, List.of(), List.of());

    /** From a rules record (or the {@code contentRules} object a creator sends, which has the same fields). */
    public static ContentRules from(JsonNode record) {
        JsonNode types = record.path("postTypes");
        JsonNode limits = record.path("contentRestrictions");
        return new ContentRules(flag(types, "allowText"), flag(types, "allowImage"), flag(types, "allowVideo"),
                flag(types, "allowArticle"), flag(types, "allowMicroblog"), domains(limits, "blockedDomains"),
                domains(limits, "allowedDomains"));
    }

    public ObjectNode toRecord(ObjectMapper json) {
        ObjectNode record = json.createObjectNode().put("$type", COLLECTION);
        record.putObject("postTypes").put("allowText", allowText).put("allowImage", allowImage)
                .put("allowVideo", allowVideo).put("allowArticle", allowArticle).put("allowMicroblog", allowMicroblog);
        ObjectNode limits = record.putObject("contentRestrictions");
        blockedDomains.forEach(limits.putArray("blockedDomains")::add);
        allowedDomains.forEach(limits.putArray("allowedDomains")::add);
        return record;
    }

    /** Why a post with this embed (by {@code $type}, null = none) breaks the rules, if it does. */
    public Optional<String> violation(String embedType, JsonNode embed) {
        if (embedType == null) {
            return allowText ? Optional.empty() : Optional.of("this community does not accept text-only posts");
        }
        String kind = switch (embedType) {
            case "social.coves.embed.images" -> allowImage ? null : "image";
            case "social.coves.embed.video" -> allowVideo ? null : "video";
            case "social.coves.embed.external" -> allowArticle ? null : "link";
            case "social.coves.embed.post" -> allowMicroblog ? null : "quoted-post";
            default -> null;
        };
        if (kind != null) {
            return Optional.of("this community does not accept " + kind + " posts (embed " + embedType + ")");
        }
        if (embedType.equals("social.coves.embed.external")) {
            return linkViolation(embed.path("external").path("uri").asText(""));
        }
        return Optional.empty();
    }

    private Optional<String> linkViolation(String uri) {
        String host;
        try {
            host = Optional.ofNullable(URI.create(uri).getHost()).orElse("").toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the lexicon check reports a malformed uri
        }
        if (blockedDomains.stream().anyMatch(d -> within(host, d))) {
            return Optional.of("links to " + host + " are blocked in this community");
        }
        if (!allowedDomains.isEmpty() && allowedDomains.stream().noneMatch(d -> within(host, d))) {
            return Optional.of("this community only accepts links to " + String.join(", ", allowedDomains));
        }
        return Optional.empty();
    }

    private static boolean within(String host, String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return host.equals(d) || host.endsWith("." + d);
    }

    private static boolean flag(JsonNode types, String name) {
        JsonNode value = types.get(name);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw XrpcException.invalidRequest("contentRules.postTypes." + name + " must be a boolean");
        }
        return value == null || !value.isBoolean() || value.asBoolean();
    }

    private static List<String> domains(JsonNode limits, String name) {
        JsonNode value = limits.get(name);
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw XrpcException.invalidRequest("contentRules.contentRestrictions." + name + " must be an array of domains");
        }
        for (JsonNode d : value) {
            if (!d.isTextual() || d.asText().isBlank() || d.asText().length() > 253) {
                throw XrpcException.invalidRequest("contentRules.contentRestrictions." + name + " must hold domain names");
            }
            out.add(d.asText().trim().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }
}
