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
import social.coves.api.pds.RecordRef;
import social.coves.api.writes.BodyFields;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.CovesLexicons;
import social.coves.lexicon.syntax.AtUri;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * A signed-in user's comments, as records in their own repository: create, update (the thread references and
 * {@code createdAt} stay as stored; {@code swapRecord} guards against overwriting a version the client has not seen)
 * and delete, each of the caller's own comments only.
 */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class CommentWriteResource {

    private static final String COMMENT = CovesCollections.COMMUNITY_COMMENT;
    /** Fields the client sets besides content; on update, one it leaves out keeps its stored value (null removes it). */
    private static final List<String> OPTIONAL = List.of("embed", "langs", "labels");

    private final SignedInWrites writes;
    private final OwnRecords records;
    private final UserRepo repo;

    public CommentWriteResource(SignedInWrites writes, OwnRecords records, UserRepo repo) {
        this.writes = writes;
        this.records = records;
        this.repo = repo;
    }

    @POST
    @Path("social.coves.community.comment.create")
    public Map<String, Object> create(@HeaderParam("Authorization") String authorization,
                                      @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.community.comment.create", authorization, length, body);
        JsonNode in = call.body();
        ObjectNode record = UserRecords.newRecord(COMMENT);
        ObjectNode reply = record.putObject("reply");
        reply.set("root", UserRecords.strongRef(in.path("reply").path("root")));
        reply.set("parent", UserRecords.strongRef(in.path("reply").path("parent")));
        content(in, record);
        OPTIONAL.forEach(field -> copy(in, record, field));
        RecordRef written = records.create(call.user(), COMMENT, null, checked(record));
        return answer(written);
    }

    /**
     * The comment as the user's repository has it now, with new content (and facets, which belong to the text), and
     * the other fields sent; {@code swapRecord} is the CID the client last saw (409 {@code InvalidSwap} if it changed).
     */
    @POST
    @Path("social.coves.community.comment.update")
    public Map<String, Object> update(@HeaderParam("Authorization") String authorization,
                                      @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.community.comment.update", authorization, length, body);
        JsonNode in = call.body();
        AtUri uri = ownComment(call.user(), in, "update");
        JsonNode stored = repo.get(call.user(), COMMENT, uri.rkey())
                .orElseThrow(() -> XrpcException.notFound("CommentNotFound", "no comment " + uri + " in your repository"));
        String storedCid = stored.path("cid").asText();
        String swap = BodyFields.string(in, "swapRecord").orElse(storedCid);
        if (!swap.equals(storedCid)) {
            throw lostRace(uri);
        }
        JsonNode old = stored.path("value");
        if (in.hasNonNull("reply") && !in.get("reply").equals(old.path("reply"))) {
            throw XrpcException.invalidRequest("reply.root and reply.parent cannot change; leave reply out");
        }
        ObjectNode record = UserRecords.newRecord(COMMENT);
        record.set("reply", old.path("reply"));
        content(in, record);
        for (String field : OPTIONAL) {
            if (!in.has(field) && old.has(field)) {
                record.set(field, old.get(field));
            }
            copy(in, record, field);
        }
        record.set("createdAt", old.path("createdAt"));
        try {
            return answer(records.put(call.user(), COMMENT, uri.rkey(), uri.toString(), checked(record), swap));
        } catch (XrpcException e) {
            throw "InvalidSwap".equals(e.error()) ? lostRace(uri) : e;
        }
    }

    @POST
    @Path("social.coves.community.comment.delete")
    public Map<String, Object> delete(@HeaderParam("Authorization") String authorization,
                                      @HeaderParam("Content-Length") String length, InputStream body) {
        var call = writes.accept("social.coves.community.comment.delete", authorization, length, body);
        AtUri uri = ownComment(call.user(), call.body(), "delete");
        if (repo.get(call.user(), COMMENT, uri.rkey()).isEmpty()) {
            throw XrpcException.notFound("CommentNotFound", "no comment " + uri + " in your repository");
        }
        records.delete(call.user(), COMMENT, uri.toString(), new CurrentRecords.Current(uri.toString(), null, null));
        return Map.of();
    }

    /** The body's {@code uri}: a comment in the caller's own repository (403 {@code NotAuthorized} for anyone else's). */
    private static AtUri ownComment(Viewer user, JsonNode in, String verb) {
        String raw = BodyFields.requiredString(in, "uri");
        AtUri uri = AtUri.isValid(raw) ? AtUri.parse(raw) : null;
        if (uri == null || !COMMENT.equals(uri.collection()) || uri.rkey() == null) {
            throw XrpcException.invalidRequest("uri must be at://<your DID>/" + COMMENT + "/<rkey>");
        }
        if (!uri.authority().equals(user.did())) {
            throw new XrpcException(403, "NotAuthorized", "you can " + verb + " only your own comments");
        }
        return uri;
    }

    /** {@code content} (required, not blank: 400 {@code ContentEmpty}) and its {@code facets}. */
    private static void content(JsonNode in, ObjectNode record) {
        String content = BodyFields.string(in, "content").orElse("");
        if (content.isBlank()) {
            throw new XrpcException(400, "ContentEmpty", "content is required and must not be blank");
        }
        record.put("content", content);
        copy(in, record, "facets");
    }

    private static void copy(JsonNode in, ObjectNode record, String field) {
        if (in.has(field)) {
            if (in.get(field).isNull()) {
                record.remove(field);
            } else {
                record.set(field, in.get(field));
            }
        }
    }

    /** The record as the lexicon has it; content over its limits is 400 {@code ContentTooLong}, the comment lexicons' name. */
    private static ObjectNode checked(ObjectNode record) {
        CovesLexicons.get().validateRecord(COMMENT, record).stream().filter(e -> e.path().equals("$.content")).findFirst()
                .ifPresent(e -> {
                    throw new XrpcException(400, "ContentTooLong", "content is too long: " + e.message());
                });
        return record;
    }

    private static XrpcException lostRace(AtUri uri) {
        return new XrpcException(409, "InvalidSwap", "the comment " + uri + " changed since you read it (swapRecord is not "
                + "its current CID); read it again and retry");
    }

    private static Map<String, Object> answer(RecordRef written) {
        return Map.of("uri", written.uri(), "cid", written.cid());
    }
}
