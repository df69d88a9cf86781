package social.coves.api.writes.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import social.coves.api.auth.Viewer;
import social.coves.api.communities.write.CommunityImages;
import social.coves.api.pds.RecordRef;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesCollections;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code social.coves.actor.updateProfile} for a signed-in user: their {@code social.coves.actor.profile/self}
 * record, with the fields sent and every other field as it was (a field sent as null is removed). Images come inline
 * as Coves' apps send them ({@code avatar} or {@code avatarBlob}: base64, with {@code avatarMimeType}; the same for
 * the banner), checked by {@link CommunityImages} (PNG, JPEG or WebP by their bytes; avatar 1 MB, banner 2 MB) and
 * uploaded to the user's PDS as blobs; an already uploaded blob reference is taken as it is.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class ProfileWriteResource {

    private static final String NSID = "social.coves.actor.updateProfile";
    private static final String PROFILE = CovesCollections.ACTOR_PROFILE;
    /** Two base64 images at their limits (about 4 MB) and the text. */
    private static final long MAX_BODY = 6L << 20;

    private final SignedInWrites writes;
    private final OwnRecords records;
    private final UserRepo repo;

    public ProfileWriteResource(SignedInWrites writes, OwnRecords records, UserRepo repo) {
        this.writes = writes;
        this.records = records;
        this.repo = repo;
    }

    @POST
    @Path(NSID)
    public Map<String, Object> update(@HeaderParam("Authorization") String authorization,
                                      @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept(NSID, authorization, length, body, MAX_BODY);
        JsonNode in = call.body();
        Optional<CommunityImages> avatar = image(in, "avatar");
        Optional<CommunityImages> banner = image(in, "banner");
        Optional<JsonNode> stored = repo.get(call.user(), PROFILE, "self");
        ObjectNode record = merged(stored.map(s -> s.path("value")), in);
        UserRecords.validated(PROFILE, record);   // before any upload: a bad name or bio costs no blob
        avatar.ifPresent(image -> record.set("avatar", upload(call.user(), image)));
        banner.ifPresent(image -> record.set("banner", upload(call.user(), image)));
        String swap = stored.map(s -> s.path("cid").asText(null)).orElse(null);
        try {
            RecordRef written = records.put(call.user(), PROFILE, "self", call.user().did(), record, swap);
            return Map.of("uri", written.uri(), "cid", written.cid());
        } catch (XrpcException e) {
            if ("InvalidSwap".equals(e.error())) {
                throw new XrpcException(409, "InvalidSwap", "your profile changed while this update was made; retry");
            }
            throw e;
        }
    }

    /** The stored profile (or a new one) with the text fields and blob references sent. */
    private static ObjectNode merged(Optional<JsonNode> stored, JsonNode in) {
        ObjectNode record = UserRecords.newRecord(PROFILE);
        stored.filter(JsonNode::isObject).ifPresent(old -> record.setAll((ObjectNode) old.deepCopy()));
        record.put("$type", PROFILE);
        if (in.has("bio")) {
            record.remove("description");   // what Coves' own AppView wrote where the lexicon says bio
        }
        for (String field : List.of("displayName", "bio", "bioFacets")) {
            set(record, field, in.get(field));
        }
        for (String field : List.of("avatar", "banner")) {
            if (in.path(field).isNull() || in.path(field).isObject()) {   // removed, or a blob uploaded already
                set(record, field, in.get(field));
            }
        }
        return record;
    }

    /** An inline image: base64 in {@code <field>} (Coves' apps) or {@code <field>Blob}. */
    private static Optional<CommunityImages> image(JsonNode in, String field) {
        return CommunityImages.from(in, field, in.path(field).isTextual() ? field : field + "Blob");
    }

    private JsonNode upload(Viewer user, CommunityImages image) {
        JsonNode blob = repo.uploadBlob(user, image.bytes(), image.mimeType());
        if (!blob.isObject() || !blob.path("ref").has("$link")) {
            throw new XrpcException(502, "UpstreamFailure", "your PDS answered uploadBlob without a blob reference");
        }
        return blob;
    }

    /** A field sent: its value, or removed when sent as null; a field not sent stays as it was. */
    private static void set(ObjectNode record, String field, JsonNode value) {
        if (value == null) {
            return;
        }
        if (value.isNull()) {
            record.remove(field);
        } else {
            record.set(field, value);
        }
    }
}
