package social.coves.api.aggregators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import social.coves.api.pds.PdsClient;
import social.coves.api.pds.RecordRef;
import social.coves.api.posts.PostRows;
import social.coves.api.writes.BodyFields;
import social.coves.api.writes.WriteRequests;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.syntax.Did;

import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code social.coves.aggregator.enable} / {@code disable} / {@code updateConfig}: a community's moderator (its creator)
 * authorises an aggregator, stops it, or changes its configuration, by the authorization record the AppView writes
 * into the community's repository. The index
 * learns of it from Jetstream like of any record; posting reads the repository itself, so a change holds at once.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class AggregatorModerationResource {

    static final String ENABLE = "social.coves.aggregator.enable";
    static final String DISABLE = "social.coves.aggregator.disable";
    static final String UPDATE_CONFIG = "social.coves.aggregator.updateConfig";
    private static final long MAX_BODY = 64 * 1024;

    private final WriteRequests requests;
    private final HostedCommunities hosted;
    private final CommunitySessions sessions;
    private final CommunityAuthorizations authorizations;
    private final AggregatorStore store;
    private final PdsClient pds;
    private final ObjectMapper json;

    public AggregatorModerationResource(WriteRequests requests, HostedCommunities hosted, CommunitySessions sessions,
                                        CommunityAuthorizations authorizations, AggregatorStore store, PdsClient pds, ObjectMapper json) {
        this.requests = requests;
        this.hosted = hosted;
        this.sessions = sessions;
        this.authorizations = authorizations;
        this.store = store;
        this.pds = pds;
        this.json = json;
    }

    @POST
    @Path(ENABLE)
    @Blocking
    public Map<String, Object> enable(@HeaderParam("Authorization") String authorization,
                                      @HeaderParam("Content-Length") String length, InputStream body) {
        WriteRequests.Write write = requests.accept(ENABLE, authorization, length, body, MAX_BODY);
        CommunityAccount community = moderated(write);
        String aggregator = aggregatorDid(write.body());
        if (!store.isDeclared(aggregator)) {
            throw XrpcException.notFound("AggregatorNotFound", "no aggregator service record is indexed for " + aggregator);
        }
        List<CommunityAuthorizations.Found> existing = authorizations.of(community, aggregator);
        if (existing.stream().anyMatch(CommunityAuthorizations.Found::enabled)) {
            throw new XrpcException(409, "AlreadyEnabled", aggregator + " is enabled for " + community.did() + " already");
        }
        String now = PostRows.timestamp(Instant.now());
        ObjectNode record = json.createObjectNode().put("$type", CommunityAuthorizations.COLLECTION)
                .put("aggregatorDid", aggregator).put("communityDid", community.did()).put("enabled", true)
                .put("createdAt", now).put("createdBy", write.caller().did());
        JsonNode config = write.body().get("config");
        if (config != null && !config.isNull()) {
            record.set("config", config(config));
        }
        // a disabled record for the pair is enabled again in place, so the community keeps one record per aggregator
        RecordRef written = sessions.asCommunity(community, token -> existing.isEmpty()
                ? pds.createRecord(community.pds(), token, community.did(), CommunityAuthorizations.COLLECTION, record)
                : pds.putRecord(community.pds(), token, community.did(), CommunityAuthorizations.COLLECTION,
                        existing.getFirst().rkey(), record, existing.getFirst().cid()));
        return Map.of("uri", written.uri(), "cid", written.cid(), "authorization", view(community, record, written));
    }

    @POST
    @Path(UPDATE_CONFIG)
    @Blocking
    public Map<String, Object> updateConfig(@HeaderParam("Authorization") String authorization,
                                            @HeaderParam("Content-Length") String length, InputStream body) {
        WriteRequests.Write write = requests.accept(UPDATE_CONFIG, authorization, length, body, MAX_BODY);
        CommunityAccount community = moderated(write);
        String aggregator = aggregatorDid(write.body());
        JsonNode config = config(write.body().path("config"));
        CommunityAuthorizations.Found enabled = authorizations.of(community, aggregator).stream()
                .filter(CommunityAuthorizations.Found::enabled).findFirst()
                .orElseThrow(() -> XrpcException.notFound("AuthorizationNotFound", aggregator + " is not enabled in " + community.did()));
        ObjectNode record = enabled.value().deepCopy();
        record.set("config", config);
        RecordRef written = sessions.asCommunity(community, token -> pds.putRecord(community.pds(), token, community.did(),
                CommunityAuthorizations.COLLECTION, enabled.rkey(), record, enabled.cid()));
        return Map.of("uri", written.uri(), "cid", written.cid(), "authorization", view(community, record, written));
    }

    /** {@code defs#authorizationView} of a record just written. */
    private static Map<String, Object> view(CommunityAccount community, ObjectNode record, RecordRef written) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("aggregatorDid", record.path("aggregatorDid").asText());
        view.put("communityDid", community.did());
        view.put("communityHandle", community.handle());
        view.put("enabled", record.path("enabled").asBoolean());
        if (record.has("config")) {
            view.put("config", record.get("config"));
        }
        view.put("createdAt", record.path("createdAt").asText());
        view.put("createdBy", record.path("createdBy").asText());
        view.put("recordUri", written.uri());
        return view;
    }

    /**
     * A community's configuration for an aggregator: a JSON object, stored as given. It is not checked against the
     * aggregator's {@code configSchema}: that schema comes from the aggregator's own record, and compiling untrusted
     * JSON Schema (remote {@code $ref}s, regular expressions) is not something a write path should do.
     */
    private static JsonNode config(JsonNode config) {
        if (!config.isObject()) {
            throw new XrpcException(400, "InvalidConfig", "config must be a JSON object");
        }
        return config;
    }

    @POST
    @Path(DISABLE)
    @Blocking
    public Map<String, Object> disable(@HeaderParam("Authorization") String authorization,
                                       @HeaderParam("Content-Length") String length, InputStream body) {
        WriteRequests.Write write = requests.accept(DISABLE, authorization, length, body, MAX_BODY);
        CommunityAccount community = moderated(write);
        String aggregator = aggregatorDid(write.body());
        List<CommunityAuthorizations.Found> existing = authorizations.of(community, aggregator);
        List<CommunityAuthorizations.Found> enabled = existing.stream().filter(CommunityAuthorizations.Found::enabled).toList();
        if (enabled.isEmpty()) {
            throw existing.isEmpty()
                    ? XrpcException.notFound("AuthorizationNotFound", aggregator + " has no authorization in " + community.did())
                    : new XrpcException(409, "AlreadyDisabled", aggregator + " is disabled in " + community.did() + " already");
        }
        String now = PostRows.timestamp(Instant.now());
        RecordRef last = null;
        for (CommunityAuthorizations.Found found : enabled) {
            ObjectNode record = found.value().deepCopy();
            record.put("enabled", false).put("disabledAt", now).put("disabledBy", write.caller().did());
            last = sessions.asCommunity(community, token -> pds.putRecord(community.pds(), token, community.did(),
                    CommunityAuthorizations.COLLECTION, found.rkey(), record, found.cid()));
        }
        return Map.of("uri", last.uri(), "cid", last.cid(), "disabledAt", now);
    }

    /** The community the body names, if the caller moderates it (its creator). */
    private CommunityAccount moderated(WriteRequests.Write write) {
        CommunityAccount community = hosted.require(BodyFields.requiredString(write.body(), "community"), "CommunityNotFound");
        if (!write.caller().did().equals(community.createdBy())) {
            throw new XrpcException(403, "NotAuthorized", "only the moderators of " + community.did() + " may change its aggregators");
        }
        return community;
    }

    private static String aggregatorDid(JsonNode body) {
        String did = BodyFields.requiredString(body, "aggregatorDid");
        if (!Did.isValid(did)) {
            throw XrpcException.invalidRequest("aggregatorDid is not a DID: " + did);
        }
        return did;
    }
}
