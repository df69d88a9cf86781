package social.coves.api.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Turns blob references (the owner's DID and the blob CID) into image URLs from {@code coves.api.image-url-template},
 * with {@code {preset}}, {@code {did}} and {@code {cid}} placeholders. The lexicons want absolute URIs: a template that
 * is a path (the default, this API's own {@code /img/...} route, {@link ImageResource}, which redirects to the owner's
 * PDS) is prefixed with {@code coves.appview.public-url}; in production put an image proxy or CDN there and set the
 * template to its absolute URL.
 */
@ApplicationScoped
public class ImageUrls {

    private final String template;

    public ImageUrls(@ConfigProperty(name = "coves.api.image-url-template") String template,
                     @ConfigProperty(name = "coves.appview.public-url") String publicUrl) {
        this.template = template.startsWith("/") ? publicUrl.replaceAll("/+$", "") + template : template;
        if (!this.template.startsWith("https://") && !this.template.startsWith("http://")) {
            throw new IllegalStateException("coves.api.image-url-template must be an absolute http(s) URL or a path: " + template);
        }
    }

    /** The URL of a blob, or null when either part is missing. */
    public String url(ImagePreset preset, String did, String cid) {
        if (did == null || cid == null || did.isEmpty() || cid.isEmpty()) {
            return null;
        }
        return template.replace("{preset}", preset.urlName()).replace("{did}", escape(did)).replace("{cid}", escape(cid));
    }

    /**
     * An {@code external} embed as clients draw it: its {@code thumb} blob becomes a URL string (Coves clients read a
     * URL there). Other embeds are returned untouched.
     */
    public JsonNode withThumbUrl(JsonNode embed, String ownerDid) {
        if (embed instanceof ObjectNode object && object.path("external") instanceof ObjectNode external
                && external.path("thumb").isObject()) {
            String cid = external.path("thumb").path("ref").path("$link").asText(null);
            String url = url(ImagePreset.EMBED_THUMBNAIL, ownerDid, cid);
            ObjectNode copy = object.deepCopy();
            if (url == null) {
                ((ObjectNode) copy.get("external")).remove("thumb");
            } else {
                ((ObjectNode) copy.get("external")).put("thumb", url);
            }
            return copy;
        }
        return embed;
    }

    private static String escape(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
