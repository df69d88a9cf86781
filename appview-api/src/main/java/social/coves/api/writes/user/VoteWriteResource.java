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
import social.coves.api.pds.RecordRef;
import social.coves.api.writes.BodyFields;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesCollections;

import java.io.InputStream;
import java.util.Map;

/** A signed-in user's votes, with Coves' toggle, as records in their own repository. */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class VoteWriteResource {

    private final SignedInWrites writes;
    private final OwnRecords records;
    private final CurrentRecords current;

    public VoteWriteResource(SignedInWrites writes, OwnRecords records, CurrentRecords current) {
        this.writes = writes;
        this.records = records;
        this.current = current;
    }

    /** Coves' toggle: the same direction again removes the vote ({@code {"uri":"","cid":""}}); the other replaces it. */
    @POST
    @Path("social.coves.feed.vote.create")
    public Map<String, Object> vote(@HeaderParam("Authorization") String authorization,
                                    @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.feed.vote.create", authorization, length, body);
        JsonNode subject = UserRecords.strongRef(call.body().path("subject"));
        String direction = BodyFields.requiredString(call.body(), "direction");
        if (!direction.equals("up") && !direction.equals("down")) {
            throw XrpcException.invalidRequest("direction must be up or down");
        }
        String subjectUri = subject.path("uri").asText();
        var existing = current.vote(call.user().did(), subjectUri);
        if (existing.isPresent() && direction.equals(existing.get().direction())) {
            records.delete(call.user(), CovesCollections.FEED_VOTE, subjectUri, existing.get());
            return Map.of("uri", "", "cid", "");
        }
        ObjectNode record = UserRecords.newRecord(CovesCollections.FEED_VOTE).put("direction", direction);
        record.set("subject", subject);
        RecordRef written = existing.isPresent()
                ? records.replace(call.user(), CovesCollections.FEED_VOTE, subjectUri, existing.get(), record)
                : records.create(call.user(), CovesCollections.FEED_VOTE, subjectUri, record);
        return Map.of("uri", written.uri(), "cid", written.cid());
    }

    @POST
    @Path("social.coves.feed.vote.delete")
    public Map<String, Object> unvote(@HeaderParam("Authorization") String authorization,
                                      @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.feed.vote.delete", authorization, length, body);
        String subjectUri = UserRecords.strongRef(call.body().path("subject")).path("uri").asText();
        CurrentRecords.Current existing = current.vote(call.user().did(), subjectUri)
                .orElseThrow(() -> XrpcException.notFound("VoteNotFound", "you have no vote on " + subjectUri));
        records.delete(call.user(), CovesCollections.FEED_VOTE, subjectUri, existing);
        return Map.of();
    }
}
