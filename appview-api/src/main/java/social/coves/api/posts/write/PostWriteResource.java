package social.coves.api.posts.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import social.coves.api.aggregators.AggregatorPosting;
import social.coves.api.communities.accounts.CommunityAccount;
import social.coves.api.communities.accounts.CommunitySessions;
import social.coves.api.communities.accounts.HostedCommunities;
import social.coves.api.communities.rules.CommunityPolicies;
import social.coves.api.communities.rules.CommunityPolicy;
import social.coves.api.pds.PdsClient;
import social.coves.api.pds.RecordRef;
import social.coves.api.writes.BodyFields;
import social.coves.api.writes.WriteRequests;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.syntax.AtUri;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * {@code social.coves.community.post.create} and {@code post.delete}: posts live in the community's repository, so
 * the AppView writes them there as the community, with {@code author} = the caller. The index learns of them from
 * Jetstream like of any record; nothing here writes a projection. A registered aggregator posts with its API key or a
 * service-auth token, under {@link AggregatorPosting}'s rules.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class PostWriteResource {

    static final String CREATE = "social.coves.community.post.create";
    static final String DELETE = "social.coves.community.post.delete";

    private final WriteRequests requests;
    private final HostedCommunities hosted;
    private final CommunityPolicies policies;
    private final CommunitySessions sessions;
    private final PostRecords posts;
    private final PdsClient pds;
    private final AggregatorPosting aggregators;

    public PostWriteResource(WriteRequests requests, HostedCommunities hosted, CommunityPolicies policies,
                             CommunitySessions sessions, PostRecords posts, PdsClient pds, AggregatorPosting aggregators) {
        this.requests = requests;
        this.hosted = hosted;
        this.policies = policies;
        this.sessions = sessions;
        this.posts = posts;
        this.pds = pds;
        this.aggregators = aggregators;
    }

    @POST
    @Path(CREATE)
    @Blocking
    public RecordRef create(@HeaderParam("Authorization") String authorization,
                            @HeaderParam("Content-Length") String length, InputStream body) {
        WriteRequests.Write write = requests.accept(CREATE, WriteRequests.Credentials.SERVICE_AUTH_OR_API_KEY, authorization,
                length, body, WriteRequests.ONE_MIB);
        JsonNode in = write.body();
        if (in.has("author") || in.has("authorDid")) {
            throw XrpcException.invalidRequest("author is the caller; it cannot be set");
        }
        String author = write.caller().did();
        CommunityAccount community = hosted.require(BodyFields.requiredString(in, "community"), "CommunityNotFound");
        ObjectNode record = posts.build(in, community.did(), author);
        CommunityPolicy policy = policies.of(community);
        policy.rules().violation(PostRecords.embedType(record), record.path("embed")).ifPresent(why -> {
            throw new XrpcException(400, "ContentRuleViolation", why);
        });
        // an aggregator posts where the community authorised it (private ones too), within its hourly quota
        Optional<AggregatorPosting.Admission> aggregator = aggregators.admit(author, community);
        if (aggregator.isEmpty() && policy.isPrivate() && !author.equals(policy.createdBy()) && !hosted.subscribes(author, community.did())) {
            throw new XrpcException(403, "NotAuthorized", "this community is private: only its members may post");
        }
        RecordRef written;
        try {
            written = sessions.asCommunity(community, token -> pds.createRecord(community.pds(), token, community.did(),
                    CovesCollections.COMMUNITY_POST, record));
        } catch (RuntimeException e) {
            aggregator.ifPresent(AggregatorPosting.Admission::failed);
            throw e;
        }
        aggregator.ifPresent(a -> a.posted(written.uri()));
        return written;
    }

    @POST
    @Path(DELETE)
    @Blocking
    public Map<String, Object> delete(@HeaderParam("Authorization") String authorization,
                                      @HeaderParam("Content-Length") String length, InputStream body) {
        WriteRequests.Write write = requests.accept(DELETE, authorization, length, body, 100 * 1024);
        String raw = BodyFields.requiredString(write.body(), "uri");
        if (!AtUri.isValid(raw)) {
            throw XrpcException.invalidRequest("uri is not an AT-URI: " + raw);
        }
        AtUri uri = AtUri.parse(raw);
        if (!uri.hasDidAuthority() || !CovesCollections.COMMUNITY_POST.equals(uri.collection()) || uri.rkey() == null) {
            throw XrpcException.invalidRequest("uri must be at://<community DID>/" + CovesCollections.COMMUNITY_POST + "/<rkey>");
        }
        CommunityAccount community = hosted.require(uri.authority(), "PostNotFound");
        JsonNode current = pds.getRecord(community.pds(), community.did(), uri.collection(), uri.rkey()).orElse(null);
        if (current == null) {
            return Map.of(); // already gone: deleting it again is a success
        }
        if (!write.caller().did().equals(current.path("value").path("author").asText())) {
            throw new XrpcException(403, "NotAuthorized", "only the post's author may delete it");
        }
        sessions.asCommunity(community, token -> {
            pds.deleteRecord(community.pds(), token, community.did(), uri.collection(), uri.rkey());
            return null;
        });
        return Map.of();
    }
}
