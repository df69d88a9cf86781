package social.coves.api.communities.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import social.coves.api.communities.accounts.CommunityAccount;
import social.coves.api.communities.accounts.CommunitySessions;
import social.coves.api.communities.accounts.HostedCommunities;
import social.coves.api.communities.rules.CommunityPolicies;
import social.coves.api.communities.rules.ContentRules;
import social.coves.api.instance.InstanceConfig;
import social.coves.api.pds.PdsClient;
import social.coves.api.pds.PdsException;
import social.coves.api.pds.RecordRef;
import social.coves.api.ratelimit.RateLimiter;
import social.coves.api.writes.BodyFields;
import social.coves.api.writes.WriteRequests;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesCollections;

import java.io.InputStream;
import java.util.Optional;

/**
 * {@code social.coves.community.create} and {@code community.update}: the community's account and profile, written
 * into its own repository on the instance PDS with its credentials. Bodies up to 10 MiB (base64 images).
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class CommunityWriteResource {

    static final String CREATE = "social.coves.community.create";
    static final String UPDATE = "social.coves.community.update";
    static final long MAX_BODY = 10 * WriteRequests.ONE_MIB;

    /** {@code community.update}'s answer: the lexicon's {@code uri}/{@code cid}, and Coves' {@code did}/{@code handle}. */
    public record Updated(String uri, String cid, String did, String handle) {
    }

    private final WriteRequests requests;
    private final CommunityCreation creation;
    private final HostedCommunities hosted;
    private final CommunitySessions sessions;
    private final ProfileRecords profiles;
    private final CommunityPolicies policies;
    private final PdsClient pds;
    private final InstanceConfig instance;
    private final ObjectMapper json;
    private final RateLimiter creates;

    public CommunityWriteResource(WriteRequests requests, CommunityCreation creation, HostedCommunities hosted,
                                  CommunitySessions sessions, ProfileRecords profiles, CommunityPolicies policies,
                                  PdsClient pds, InstanceConfig instance, ObjectMapper json) {
        this.requests = requests;
        this.creation = creation;
        this.hosted = hosted;
        this.sessions = sessions;
        this.profiles = profiles;
        this.policies = policies;
        this.pds = pds;
        this.instance = instance;
        this.json = json;
        this.creates = new RateLimiter(instance.writes().createCommunityPerMinute());
    }

    @POST
    @Path(CREATE)
    @Blocking
    public CommunityCreation.Created create(@HeaderParam("Authorization") String authorization,
                                            @HeaderParam("Content-Length") String length, InputStream body) {
        WriteRequests.Write write = requests.accept(CREATE, authorization, length, body, MAX_BODY);
        String caller = write.caller().did();
        if (!instance.mayCreateCommunities(caller)) {
            throw new XrpcException(403, "CommunityCreationRestricted", "this instance lets only its listed accounts create communities");
        }
        WriteRequests.admit(creates, caller, CREATE);
        JsonNode in = write.body();
        for (String forbidden : new String[] {"createdBy", "hostedBy", "createdByDid", "hostedByDid"}) {
            if (in.has(forbidden)) {
                throw XrpcException.invalidRequest(forbidden + " is set by the AppView, not by the caller");
            }
        }
        String name = CommunityName.parse(BodyFields.requiredString(in, "name"));
        ProfileRecords.Draft draft = ProfileRecords.Draft.from(in, false);
        return creation.create(caller, write.pds(), name, draft, contentRules(in));
    }

    @POST
    @Path(UPDATE)
    @Blocking
    public Updated update(@HeaderParam("Authorization") String authorization,
                          @HeaderParam("Content-Length") String length, InputStream body) {
        WriteRequests.Write write = requests.accept(UPDATE, authorization, length, body, MAX_BODY);
        JsonNode in = write.body();
        String named = BodyFields.string(in, "community").or(() -> BodyFields.string(in, "communityDid"))
                .orElseThrow(() -> XrpcException.invalidRequest("community is required (its DID)"));
        CommunityAccount community = hosted.require(named, "NotFound");
        JsonNode current = pds.getRecord(community.pds(), community.did(), CovesCollections.COMMUNITY_PROFILE, "self")
                .orElseThrow(() -> XrpcException.notFound("NotFound", "the community has no profile record"));
        String creator = current.path("value").path("createdBy").asText(community.createdBy());
        if (!creator.equals(write.caller().did())) {
            throw new XrpcException(403, "NotAuthorized", "only the community's creator may update it");
        }
        ProfileRecords.Draft draft = ProfileRecords.Draft.from(in, true);
        Optional<ContentRules> rules = contentRules(in);
        var record = profiles.build(community, draft, current.path("value"), creator);
        rules.ifPresent(r -> sessions.asCommunity(community, token -> pds.putRecord(community.pds(), token,
                community.did(), ContentRules.COLLECTION, "self", r.toRecord(json), null)));
        RecordRef ref;
        try {
            ref = sessions.asCommunity(community, token -> pds.putRecord(community.pds(), token, community.did(),
                    CovesCollections.COMMUNITY_PROFILE, "self", record, current.path("cid").asText()));
        } catch (PdsException e) {
            if ("InvalidSwap".equals(e.error())) {
                throw new XrpcException(409, "InvalidSwap", "the community profile changed while this update was "
                        + "made; read it again and retry");
            }
            throw e;
        }
        policies.forget(community.did());
        return new Updated(ref.uri(), ref.cid(), community.did(), community.handle());
    }

    private static Optional<ContentRules> contentRules(JsonNode in) {
        return BodyFields.node(in, "contentRules", false).map(ContentRules::from);
    }
}
