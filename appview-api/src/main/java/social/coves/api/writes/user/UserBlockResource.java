package social.coves.api.writes.user;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import social.coves.api.actors.ActorIdentifier;
import social.coves.api.oauth.IdentityLookups;
import social.coves.api.pds.RecordRef;
import social.coves.api.writes.BodyFields;
import social.coves.api.xrpc.XrpcException;

import java.io.InputStream;
import java.util.Map;

/**
 * A signed-in user's blocks of other users: {@code social.coves.actor.block} records ({@code {subject: DID,
 * createdAt}}) in their own repository. Neither method nor record has a published lexicon; the answers follow Coves'
 * community block ({@code {block: {recordUri, recordCid}}}, and {@code {}}). Blocking twice answers the block there is.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class UserBlockResource {

    private final SignedInWrites writes;
    private final OwnRecords records;
    private final CurrentRecords current;
    private final IdentityLookups identities;

    public UserBlockResource(SignedInWrites writes, OwnRecords records, CurrentRecords current, IdentityLookups identities) {
        this.writes = writes;
        this.records = records;
        this.current = current;
        this.identities = identities;
    }

    @POST
    @Path("social.coves.actor.blockUser")
    public BlockAnswer block(@HeaderParam("Authorization") String authorization,
                             @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.actor.blockUser", authorization, length, body);
        String subject = subject(call.body());
        if (subject.equals(call.user().did())) {
            throw XrpcException.invalidRequest("you cannot block yourself");
        }
        var existing = current.userBlock(call.user(), subject);
        if (existing.isPresent()) {
            return BlockAnswer.of(existing.get().uri(), records.cid(call.user(), UserRecords.ACTOR_BLOCK, existing.get()));
        }
        RecordRef written = records.create(call.user(), UserRecords.ACTOR_BLOCK, subject,
                UserRecords.newRecord(UserRecords.ACTOR_BLOCK).put("subject", subject));
        return BlockAnswer.of(written.uri(), written.cid());
    }

    @POST
    @Path("social.coves.actor.unblockUser")
    public Map<String, Object> unblock(@HeaderParam("Authorization") String authorization,
                                       @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.actor.unblockUser", authorization, length, body);
        String subject = subject(call.body());
        CurrentRecords.Current existing = current.userBlock(call.user(), subject)
                .orElseThrow(() -> XrpcException.notFound("BlockNotFound", "you have not blocked " + subject));
        records.delete(call.user(), UserRecords.ACTOR_BLOCK, subject, existing);
        return Map.of();
    }

    /** The DID of the body's {@code subject} (a DID, or a handle: the index's, else identity-service's answer). */
    private String subject(JsonNode in) {
        String raw = BodyFields.requiredString(in, "subject");
        ActorIdentifier id;
        try {
            id = ActorIdentifier.parse(raw);
        } catch (XrpcException e) {
            throw XrpcException.invalidRequest("subject must be a user's DID or handle, got " + raw);
        }
        return id.did() != null ? id.did() : current.actorDid(id.handle()).orElseGet(() -> identities.did(id.handle()));
    }
}
