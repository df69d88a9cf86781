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
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesCollections;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signed-in user's subscriptions to and blocks of communities, as records in their own repository. Subscribing or
 * blocking twice answers the record that is there; removing what is not there is an error.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class CommunityRelationsResource {

    private final SignedInWrites writes;
    private final OwnRecords records;
    private final CurrentRecords current;

    public CommunityRelationsResource(SignedInWrites writes, OwnRecords records, CurrentRecords current) {
        this.writes = writes;
        this.records = records;
        this.current = current;
    }

    @POST
    @Path("social.coves.community.subscribe")
    public Map<String, Object> subscribe(@HeaderParam("Authorization") String authorization,
                                         @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.community.subscribe", authorization, length, body);
        JsonNode in = call.body();
        String community = writes.community(in, "CommunityNotFound");
        JsonNode visibility = in.path("contentVisibility");
        if (!visibility.isMissingNode() && (!visibility.isInt() || visibility.asInt() < 1 || visibility.asInt() > 5)) {
            throw XrpcException.invalidRequest("contentVisibility must be an integer from 1 to 5");
        }
        var existing = current.subscription(call.user().did(), community);
        if (existing.isPresent()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("uri", existing.get().uri());
            out.put("cid", records.cid(call.user(), CovesCollections.COMMUNITY_SUBSCRIPTION, existing.get()));
            out.put("existing", true);
            return out;
        }
        ObjectNode record = UserRecords.newRecord(CovesCollections.COMMUNITY_SUBSCRIPTION).put("subject", community)
                .put("contentVisibility", visibility.isMissingNode() ? 3 : visibility.asInt());
        RecordRef written = records.create(call.user(), CovesCollections.COMMUNITY_SUBSCRIPTION, community, record);
        return Map.of("uri", written.uri(), "cid", written.cid());
    }

    @POST
    @Path("social.coves.community.unsubscribe")
    public Map<String, Object> unsubscribe(@HeaderParam("Authorization") String authorization,
                                           @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.community.unsubscribe", authorization, length, body);
        String community = writes.community(call.body(), "NotSubscribed");
        CurrentRecords.Current existing = current.subscription(call.user().did(), community)
                .orElseThrow(() -> new XrpcException(400, "NotSubscribed", "you do not subscribe to " + community));
        records.delete(call.user(), CovesCollections.COMMUNITY_SUBSCRIPTION, community, existing);
        return Map.of();
    }

    /** Coves' answer {@code {block: {recordUri, recordCid}}}; no lexicon is published for this method. */
    @POST
    @Path("social.coves.community.blockCommunity")
    public BlockAnswer block(@HeaderParam("Authorization") String authorization,
                             @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.community.blockCommunity", authorization, length, body);
        String community = writes.community(call.body(), "CommunityNotFound");
        var existing = current.communityBlock(call.user().did(), community);
        if (existing.isPresent()) {
            return BlockAnswer.of(existing.get().uri(), records.cid(call.user(), CovesCollections.COMMUNITY_BLOCK, existing.get()));
        }
        ObjectNode record = UserRecords.newRecord(CovesCollections.COMMUNITY_BLOCK).put("subject", community);
        RecordRef written = records.create(call.user(), CovesCollections.COMMUNITY_BLOCK, community, record);
        return BlockAnswer.of(written.uri(), written.cid());
    }

    @POST
    @Path("social.coves.community.unblockCommunity")
    public Map<String, Object> unblock(@HeaderParam("Authorization") String authorization,
                                       @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.community.unblockCommunity", authorization, length, body);
        String community = writes.community(call.body(), "CommunityNotFound");
        CurrentRecords.Current existing = current.communityBlock(call.user().did(), community)
                .orElseThrow(() -> XrpcException.notFound("BlockNotFound", "you have not blocked " + community));
        records.delete(call.user(), CovesCollections.COMMUNITY_BLOCK, community, existing);
        return Map.of();
    }
}
