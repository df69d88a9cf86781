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
import social.coves.api.oauth.SealedTokens;
import social.coves.api.pds.RecordRef;
import social.coves.api.writes.BodyFields;
import social.coves.api.writes.WriteProcedures;
import social.coves.api.writes.WriteRequests;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.CovesLexicons;
import social.coves.lexicon.schema.ValidationError;
import social.coves.lexicon.syntax.AtUri;

import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes to the caller's own repository, done by the AppView for a user signed in through it (a sealed session
 * token): subscriptions, votes (with Coves' toggle) and comments. The record is written to the user's PDS with their
 * OAuth session and remembered in {@link RecentWrites}; the index takes it only from Jetstream. Any other caller
 * (a service-auth token, or none) gets the 501 saying which PDS call to make instead, as before.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class UserWriteResource {

    private static final long MAX_BODY = 200 * 1024;

    private final WriteRequests requests;
    private final UserRepo repo;
    private final RecentWrites recent;
    private final CurrentRecords current;

    public UserWriteResource(WriteRequests requests, UserRepo repo, RecentWrites recent, CurrentRecords current) {
        this.requests = requests;
        this.repo = repo;
        this.recent = recent;
        this.current = current;
    }

    @POST
    @Path("social.coves.community.subscribe")
    @Blocking
    public Map<String, Object> subscribe(@HeaderParam("Authorization") String authorization,
                                         @HeaderParam("Content-Length") String length, InputStream body) {
        String nsid = "social.coves.community.subscribe";
        Viewer user = signedIn(nsid, authorization);
        JsonNode in = requests.body(nsid, length, body, MAX_BODY);
        String community = community(in, "CommunityNotFound");
        int visibility = in.path("contentVisibility").isMissingNode() ? 3 : in.path("contentVisibility").asInt(-1);
        if (!in.path("contentVisibility").isMissingNode() && (!in.path("contentVisibility").isInt() || visibility < 1 || visibility > 5)) {
            throw XrpcException.invalidRequest("contentVisibility must be an integer from 1 to 5");
        }
        var existing = current.subscription(user.did(), community);
        if (existing.isPresent()) {
            Map<String, Object> out = new LinkedHashMap<>();
            RecentWrites.Latest latest = recent.latest(user.did(), CovesCollections.COMMUNITY_SUBSCRIPTION, community).orElse(null);
            out.put("uri", existing.get().uri());
            out.put("cid", latest != null && latest.cid() != null ? latest.cid() : repo.get(user, CovesCollections.COMMUNITY_SUBSCRIPTION,
                    existing.get().rkey()).map(r -> r.path("cid").asText()).orElse(""));
            out.put("existing", true);
            return out;
        }
        ObjectNode record = validated(CovesCollections.COMMUNITY_SUBSCRIPTION, newRecord(CovesCollections.COMMUNITY_SUBSCRIPTION)
                .put("subject", community).put("contentVisibility", visibility));
        RecordRef written = repo.create(user, CovesCollections.COMMUNITY_SUBSCRIPTION, record);
        recent.wrote(user.did(), CovesCollections.COMMUNITY_SUBSCRIPTION, community, written.uri(), written.cid(), record);
        return Map.of("uri", written.uri(), "cid", written.cid());
    }

    @POST
    @Path("social.coves.community.unsubscribe")
    @Blocking
    public Map<String, Object> unsubscribe(@HeaderParam("Authorization") String authorization,
                                           @HeaderParam("Content-Length") String length, InputStream body) {
        String nsid = "social.coves.community.unsubscribe";
        Viewer user = signedIn(nsid, authorization);
        String community = community(requests.body(nsid, length, body, MAX_BODY), "NotSubscribed");
        CurrentRecords.Current existing = current.subscription(user.did(), community)
                .orElseThrow(() -> new XrpcException(400, "NotSubscribed", "you do not subscribe to " + community));
        repo.delete(user, CovesCollections.COMMUNITY_SUBSCRIPTION, existing.rkey());
        recent.deleted(user.did(), CovesCollections.COMMUNITY_SUBSCRIPTION, community, existing.uri());
        return Map.of();
    }

    /** Coves' toggle: the same direction again removes the vote ({@code {"uri":"","cid":""}}); the other replaces it. */
    @POST
    @Path("social.coves.feed.vote.create")
    @Blocking
    public Map<String, Object> vote(@HeaderParam("Authorization") String authorization,
                                    @HeaderParam("Content-Length") String length, InputStream body) {
        String nsid = "social.coves.feed.vote.create";
        Viewer user = signedIn(nsid, authorization);
        JsonNode in = requests.body(nsid, length, body, MAX_BODY);
        JsonNode subject = strongRef(in.path("subject"));
        String direction = BodyFields.requiredString(in, "direction");
        if (!direction.equals("up") && !direction.equals("down")) {
            throw XrpcException.invalidRequest("direction must be up or down");
        }
        String subjectUri = subject.path("uri").asText();
        var existing = current.vote(user.did(), subjectUri);
        if (existing.isPresent() && direction.equals(existing.get().direction())) {
            repo.delete(user, CovesCollections.FEED_VOTE, existing.get().rkey());
            recent.deleted(user.did(), CovesCollections.FEED_VOTE, subjectUri, existing.get().uri());
            return Map.of("uri", "", "cid", "");
        }
        ObjectNode record = newRecord(CovesCollections.FEED_VOTE).put("direction", direction);
        record.set("subject", subject);
        validated(CovesCollections.FEED_VOTE, record);
        RecordRef written = existing.isPresent()
                ? repo.replace(user, CovesCollections.FEED_VOTE, existing.get().rkey(), record)
                : repo.create(user, CovesCollections.FEED_VOTE, record);
        recent.wrote(user.did(), CovesCollections.FEED_VOTE, subjectUri, written.uri(), written.cid(), record);
        return Map.of("uri", written.uri(), "cid", written.cid());
    }

    @POST
    @Path("social.coves.feed.vote.delete")
    @Blocking
    public Map<String, Object> unvote(@HeaderParam("Authorization") String authorization,
                                      @HeaderParam("Content-Length") String length, InputStream body) {
        String nsid = "social.coves.feed.vote.delete";
        Viewer user = signedIn(nsid, authorization);
        String subjectUri = strongRef(requests.body(nsid, length, body, MAX_BODY).path("subject")).path("uri").asText();
        CurrentRecords.Current existing = current.vote(user.did(), subjectUri)
                .orElseThrow(() -> XrpcException.notFound("VoteNotFound", "you have no vote on " + subjectUri));
        repo.delete(user, CovesCollections.FEED_VOTE, existing.rkey());
        recent.deleted(user.did(), CovesCollections.FEED_VOTE, subjectUri, existing.uri());
        return Map.of();
    }

    @POST
    @Path("social.coves.community.comment.create")
    @Blocking
    public Map<String, Object> comment(@HeaderParam("Authorization") String authorization,
                                       @HeaderParam("Content-Length") String length, InputStream body) {
        String nsid = "social.coves.community.comment.create";
        Viewer user = signedIn(nsid, authorization);
        JsonNode in = requests.body(nsid, length, body, MAX_BODY);
        ObjectNode record = newRecord(CovesCollections.COMMUNITY_COMMENT);
        ObjectNode reply = record.putObject("reply");
        reply.set("root", strongRef(in.path("reply").path("root")));
        reply.set("parent", strongRef(in.path("reply").path("parent")));
        record.put("content", BodyFields.requiredString(in, "content"));
        for (String optional : List.of("facets", "embed", "langs", "labels")) {
            if (in.has(optional)) {
                record.set(optional, in.get(optional));
            }
        }
        validated(CovesCollections.COMMUNITY_COMMENT, record);
        RecordRef written = repo.create(user, CovesCollections.COMMUNITY_COMMENT, record);
        recent.wrote(user.did(), CovesCollections.COMMUNITY_COMMENT, written.uri(), written.uri(), written.cid(), record);
        return Map.of("uri", written.uri(), "cid", written.cid());
    }

    @POST
    @Path("social.coves.community.comment.delete")
    @Blocking
    public Map<String, Object> deleteComment(@HeaderParam("Authorization") String authorization,
                                             @HeaderParam("Content-Length") String length, InputStream body) {
        String nsid = "social.coves.community.comment.delete";
        Viewer user = signedIn(nsid, authorization);
        String raw = BodyFields.requiredString(requests.body(nsid, length, body, MAX_BODY), "uri");
        if (!AtUri.isValid(raw) || !CovesCollections.COMMUNITY_COMMENT.equals(AtUri.parse(raw).collection())
                || AtUri.parse(raw).rkey() == null) {
            throw XrpcException.invalidRequest("uri must be at://<your DID>/" + CovesCollections.COMMUNITY_COMMENT + "/<rkey>");
        }
        AtUri uri = AtUri.parse(raw);
        if (!uri.authority().equals(user.did())) {
            throw new XrpcException(403, "NotAuthorized", "you can delete only your own comments");
        }
        if (repo.get(user, CovesCollections.COMMUNITY_COMMENT, uri.rkey()).isEmpty()) {
            throw XrpcException.notFound("CommentNotFound", "no comment " + raw + " in your repository");
        }
        repo.delete(user, CovesCollections.COMMUNITY_COMMENT, uri.rkey());
        recent.deleted(user.did(), CovesCollections.COMMUNITY_COMMENT, raw, raw);
        return Map.of();
    }

    /** A caller signed in through this AppView; anyone else is told what to call on their own PDS (501). */
    private Viewer signedIn(String nsid, String authorization) {
        String token = authorization == null ? "" : authorization.trim().replaceFirst("(?i)^Bearer\\s+", "");
        if (!SealedTokens.looksSealed(token)) {
            throw new XrpcException(501, "MethodNotImplemented", WriteProcedures.adviceFor(nsid).orElseThrow()
                    + " (Or sign in through this AppView, /oauth/login, and it writes for you.)");
        }
        return requests.caller(nsid, WriteRequests.Credentials.SERVICE_AUTH, authorization);
    }

    private String community(JsonNode in, String notFound) {
        String raw = BodyFields.requiredString(in, "community");
        return current.communityDid(raw).orElseThrow(() -> XrpcException.notFound(notFound, "community not found: " + raw));
    }

    private static JsonNode strongRef(JsonNode ref) {
        String uri = ref.path("uri").asText("");
        String cid = ref.path("cid").asText("");
        if (!ref.isObject() || !AtUri.isValid(uri) || cid.isEmpty()) {
            throw new XrpcException(400, "InvalidSubject", "expected a strong reference {uri: <AT-URI>, cid}, got " + ref);
        }
        return ref;
    }

    private static ObjectNode newRecord(String collection) {
        ObjectNode record = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("$type", collection);
        record.put("createdAt", Instant.now().toString());
        return record;
    }

    private static ObjectNode validated(String collection, ObjectNode record) {
        List<ValidationError> errors = CovesLexicons.get().validateRecord(collection, record);
        if (!errors.isEmpty()) {
            throw XrpcException.invalidRequest("the " + collection + " record would be invalid: " + errors.get(0));
        }
        return record;
    }
}
