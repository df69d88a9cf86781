package social.coves.api.communities.write;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.api.writes.BodyFields;
import social.coves.api.xrpc.XrpcException;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * An avatar or banner sent inline, as Coves' apps do: {@code avatarBlob} (base64) with {@code avatarMimeType}.
 * PNG, JPEG or WebP only, checked against the bytes' own signature, within the lexicon's size (avatar 1 MB, banner
 * 2 MB). The bytes are then uploaded to the owner's PDS ({@code uploadBlob}) and the blob put in the profile: the
 * community's, or a signed-in user's ({@code writes.user.ProfileWriteResource}).
 */
public record CommunityImages(String field, byte[] bytes, String mimeType) {

    public static final Map<String, Integer> MAX_BYTES = Map.of("avatar", 1_000_000, "banner", 2_000_000);

    /** The image sent as {@code <field>Blob} + {@code <field>MimeType}, if any. */
    public static Optional<CommunityImages> from(JsonNode body, String field) {
        return from(body, field, field + "Blob");
    }

    /**
     * The image sent as base64 in {@code base64Field} + {@code <field>MimeType}, if any (a user's profile takes
     * {@code avatar} as well as {@code avatarBlob}: Coves' apps send the former).
     */
    public static Optional<CommunityImages> from(JsonNode body, String field, String base64Field) {
        Optional<String> base64 = BodyFields.string(body, base64Field);
        if (base64.isEmpty() || base64.get().isEmpty()) {
            return Optional.empty();
        }
        String mime = BodyFields.string(body, field + "MimeType").orElseThrow(() ->
                XrpcException.invalidRequest(field + "MimeType is required with " + base64Field));
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(base64.get());
        } catch (IllegalArgumentException e) {
            throw XrpcException.invalidRequest(base64Field + " is not base64");
        }
        int max = MAX_BYTES.get(field);
        if (bytes.length > max) {
            throw XrpcException.invalidRequest(base64Field + " is " + bytes.length + " bytes; at most " + max + " are allowed");
        }
        if (!matches(mime, bytes)) {
            throw XrpcException.invalidRequest(field + "MimeType must be image/png, image/jpeg or image/webp and match the "
                    + "bytes sent (got " + mime + ")");
        }
        return Optional.of(new CommunityImages(field, bytes, mime));
    }

    private static boolean matches(String mime, byte[] b) {
        return switch (mime) {
            case "image/png" -> b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
            case "image/jpeg" -> b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF;
            case "image/webp" -> b.length > 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                    && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P';
            default -> false;
        };
    }
}
