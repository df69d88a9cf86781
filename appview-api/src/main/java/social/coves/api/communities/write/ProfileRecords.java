package social.coves.api.communities.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import social.coves.api.communities.accounts.CommunityAccount;
import social.coves.api.communities.accounts.CommunitySessions;
import social.coves.api.pds.PdsClient;
import social.coves.api.writes.BodyFields;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.CovesLexicons;
import social.coves.lexicon.schema.ValidationError;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The community's {@code social.coves.community.profile/self} record, built from what a creator sends, over the
 * current record on an update (fields not sent are kept). {@code hostedBy} is always this instance, {@code createdBy}
 * the creator; inline images are uploaded to the community's PDS first. The result must be valid against the
 * lexicon (the same check the ingestor applies), else 400.
 */
@ApplicationScoped
public class ProfileRecords {

    private static final Set<String> VISIBILITIES = Set.of("public", "unlisted", "private");

    private final CommunitySessions sessions;
    private final PdsClient pds;
    private final ObjectMapper json;
    private final String instanceDid;

    public ProfileRecords(CommunitySessions sessions, PdsClient pds, ObjectMapper json,
                          @ConfigProperty(name = "coves.appview.did") String instanceDid) {
        this.sessions = sessions;
        this.pds = pds;
        this.json = json;
        this.instanceDid = instanceDid;
    }

    /** The profile fields a create or update asks for; absent = keep (update) or default (create). */
    public record Draft(Optional<String> displayName, Optional<String> description, Optional<String> visibility,
                        Optional<String> moderationType, Optional<JsonNode> contentWarnings,
                        Optional<CommunityImages> avatar, Optional<CommunityImages> banner) {

        /**
         * From a procedure body. The display name is {@code displayName} (Coves' apps), or on an update also the
         * lexicon's {@code name}.
         */
        public static Draft from(JsonNode body, boolean update) {
            Optional<String> displayName = BodyFields.string(body, "displayName");
            if (update && displayName.isEmpty()) {
                displayName = BodyFields.string(body, "name");
            }
            Optional<String> visibility = BodyFields.string(body, "visibility");
            visibility.filter(v -> !VISIBILITIES.contains(v)).ifPresent(v -> {
                throw XrpcException.invalidRequest("visibility must be public, unlisted or private, not " + v);
            });
            return new Draft(displayName, BodyFields.string(body, "description"), visibility,
                    BodyFields.string(body, "moderationType"), BodyFields.node(body, "contentWarnings", true),
                    CommunityImages.from(body, "avatar"), CommunityImages.from(body, "banner"));
        }
    }

    /** The record to write; {@code current} is the record as the PDS has it now (null on create). */
    public ObjectNode build(CommunityAccount community, Draft draft, JsonNode current, String createdBy) {
        ObjectNode record = current == null ? json.createObjectNode() : current.deepCopy();
        record.put("$type", CovesCollections.COMMUNITY_PROFILE);
        record.put("name", community.name());
        record.put("hostedBy", instanceDid);
        if (!record.hasNonNull("createdBy")) {
            record.put("createdBy", createdBy);
        }
        if (!record.hasNonNull("createdAt")) {
            record.put("createdAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        }
        draft.displayName().ifPresent(v -> record.put("displayName", v));
        if (!record.hasNonNull("displayName")) {
            record.put("displayName", community.name());
        }
        draft.description().ifPresent(v -> record.put("description", v));
        draft.visibility().ifPresent(v -> record.put("visibility", v));
        if (!record.hasNonNull("visibility")) {
            record.put("visibility", "public");
        }
        draft.moderationType().ifPresent(v -> record.put("moderationType", v));
        draft.contentWarnings().ifPresent(v -> record.set("contentWarnings", v));
        List<ValidationError> errors = CovesLexicons.get().validateRecord(CovesCollections.COMMUNITY_PROFILE, record);
        if (!errors.isEmpty()) {
            throw XrpcException.invalidRequest("invalid community profile: "
                    + errors.stream().map(ValidationError::toString).collect(Collectors.joining("; ")));
        }
        draft.avatar().ifPresent(image -> record.set("avatar", upload(community, image)));
        draft.banner().ifPresent(image -> record.set("banner", upload(community, image)));
        return record;
    }

    private JsonNode upload(CommunityAccount community, CommunityImages image) {
        return sessions.asCommunity(community, token -> pds.uploadBlob(community.pds(), token, image.bytes(), image.mimeType()));
    }
}
